/**
 * Routable (router) addresses.
 * @module
 */
import type { AddressingOptions } from './addressing-options';
import { type Addresser, joinAddress, makeAddresser } from './addresser';
import type { AddressTarget, ServiceKind } from './address-target';

/** The options the routable syntax reads. */
export type RoutableAddressingOptions = Pick<
  AddressingOptions,
  | 'pseudoVhost'
  | 'rpcAddressPrefix'
  | 'notifyAddressPrefix'
  | 'multicastAddress'
  | 'unicastAddress'
  | 'anycastAddress'
  | 'defaultRpcExchange'
  | 'defaultNotificationExchange'
  | 'controlExchange'
>;

/** The exchange routable addresses use when the target names none and the options give none. */
const LAST_RESORT_EXCHANGE = 'openstack';

/**
 * The routable syntax, for routers (qdrouterd): slash-separated, one prefix per service.
 *
 * - unicast: `<prefix>/<unicastAddress>[/<vhost>]/<exchange>/<topic>/<server>`
 * - multicast: `<prefix>/<multicastAddress>[/<vhost>]/<exchange>/<topic>`
 * - anycast: `<prefix>/<anycastAddress>[/<vhost>]/<exchange>/<topic>`
 *
 * `prefix` is `rpcAddressPrefix` or `notifyAddressPrefix`. The exchange is the target's, else
 * `defaultRpcExchange` / `defaultNotificationExchange`, else `controlExchange`, else `openstack`.
 * The vhost is inserted only when `pseudoVhost` is true (and it is non-empty).
 *
 * ```ts
 * routableAddresser(options).resolve({ topic: 'notifications.info' }, 'notify')
 * // 'openstack.org/om/notify/anycast/openstack/notifications.info'
 * ```
 * @param options the addressing options
 * @param vhost the virtual host of the transport URL, if any
 */
export function routableAddresser(options: RoutableAddressingOptions, vhost?: string): Addresser {
  const vh = options.pseudoVhost ? vhost : undefined;
  const control = options.controlExchange || LAST_RESORT_EXCHANGE;
  const defaults: Record<ServiceKind, string> = {
    rpc: options.defaultRpcExchange || control,
    notify: options.defaultNotificationExchange || control,
  };
  const prefixes: Record<ServiceKind, string> = {
    rpc: `${options.rpcAddressPrefix}/`,
    notify: `${options.notifyAddressPrefix}/`,
  };
  const build = (tag: string, t: AddressTarget, s: ServiceKind, server?: string): string =>
    joinAddress('/', [prefixes[s] + tag, vh, t.exchange || defaults[s], t.topic, server]);
  return makeAddresser('routable', {
    multicast: (t, s) => build(options.multicastAddress, t, s),
    unicast: (t, s) => build(options.unicastAddress, t, s, t.server),
    anycast: (t, s) => build(options.anycastAddress, t, s),
  });
}
