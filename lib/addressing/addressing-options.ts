/**
 * The options the addressing layer reads.
 * @module
 */

/**
 * How addresses are spelled: `legacy` (broker syntax), `routable` (router syntax), or
 * `dynamic` (chosen on each connection from the peer's `product`, see `chooseAddressingMode`).
 * Mirrors oslo's `addressing_mode`.
 */
export type AddressingMode = 'legacy' | 'routable' | 'dynamic';

/**
 * The subset of the transport options that shapes addresses. The field names are oslo's
 * `[oslo_messaging_amqp]` option names camelCased, so the full options object satisfies it.
 */
export interface AddressingOptions {
  /** `addressing_mode`: `legacy`, `routable` or `dynamic` (default `dynamic`). */
  readonly addressingMode: AddressingMode;
  /** `pseudo_vhost`: put the URL's vhost inside every address (default true). */
  readonly pseudoVhost: boolean;
  /** `server_request_prefix`: legacy prefix of unicast (one server) addresses (default `exclusive`). */
  readonly serverRequestPrefix: string;
  /** `broadcast_prefix`: legacy prefix of multicast (fanout) addresses (default `broadcast`). */
  readonly broadcastPrefix: string;
  /** `group_request_prefix`: legacy prefix of anycast (topic) addresses (default `unicast`). */
  readonly groupRequestPrefix: string;
  /** `rpc_address_prefix`: routable prefix of RPC addresses (default `openstack.org/om/rpc`). */
  readonly rpcAddressPrefix: string;
  /** `notify_address_prefix`: routable prefix of notification addresses (default `openstack.org/om/notify`). */
  readonly notifyAddressPrefix: string;
  /** `multicast_address`: routable tag of fanout addresses (default `multicast`). */
  readonly multicastAddress: string;
  /** `unicast_address`: routable tag of one-server addresses (default `unicast`). */
  readonly unicastAddress: string;
  /** `anycast_address`: routable tag of shared (competing consumer) addresses (default `anycast`). */
  readonly anycastAddress: string;
  /** `default_notification_exchange`: routable exchange of notifications without one (default: `controlExchange`). */
  readonly defaultNotificationExchange?: string;
  /** `default_rpc_exchange`: routable exchange of RPC targets without one (default: `controlExchange`). */
  readonly defaultRpcExchange?: string;
  /** `[DEFAULT] control_exchange`: the exchange of targets that name none (default `openstack`). */
  readonly controlExchange: string;
}
