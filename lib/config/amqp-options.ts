/**
 * The type of the AMQP options. Each option's oslo name, unit, minimum and
 * default are in `OPTION_TABLE`, which is typed against this interface.
 * @module
 */
import type { ConnectionOptions as NodeTlsOptions } from 'node:tls';

/** A kind of message that can be sent pre-settled (oslo's `pre_settled` values). */
export type PreSettledKind = 'rpc-call' | 'rpc-reply' | 'rpc-cast' | 'notify';

/**
 * The AMQP options, fully resolved: oslo's `[oslo_messaging_amqp]` options
 * camelCased, durations in milliseconds (`...Ms`), plus two of oslo's
 * `[DEFAULT]` options and three oslo-rx additions. The default of each is
 * oslo 14.0.3's (see `DEFAULT_AMQP_OPTIONS`); a transport URL query sets them
 * by their oslo names and units (`?idle_timeout=30` is `idleTimeoutMs: 30000`).
 */
export interface AmqpOptions {
  /** `container_name`: the Open `container-id`. Unset: one is made (`openstack.org/om/container/<host>/<command>/<pid>/<uuid>`). */
  readonly containerName?: string;
  /** `idle_timeout`: idle time-out of the connection, 0 for none; the Open frame advertises half of it. Default 0. */
  readonly idleTimeoutMs: number;
  /** `trace`: trace AMQP frames, a debugging aid. Default false. */
  readonly trace: boolean;
  /** `ssl`: use TLS with the system's CA bundle (an `amqps://` URL or a certificate file turns TLS on too). Default false. */
  readonly ssl: boolean;
  /** `ssl_ca_file`: CA certificate PEM file to verify the server's certificate with. Default ''. */
  readonly sslCaFile: string;
  /** `ssl_cert_file`: this client's certificate PEM file. Default ''. */
  readonly sslCertFile: string;
  /** `ssl_key_file`: private key PEM file of `sslCertFile`. Default ''. */
  readonly sslKeyFile: string;
  /** `ssl_key_password`: password of an encrypted `sslKeyFile`. Secret: never shown. Default unset. */
  readonly sslKeyPassword?: string;
  /** `ssl_verify_vhost`: check the server certificate against the virtual host instead of the hostname. Default false. */
  readonly sslVerifyVhost: boolean;
  /**
   * `sasl_mechanisms`: space-separated SASL mechanisms allowed, among ANONYMOUS, PLAIN and
   * EXTERNAL; '' for any of them the credentials allow (PLAIN with a password, else
   * ANONYMOUS or, with a client certificate, EXTERNAL). Default ''.
   */
  readonly saslMechanisms: string;
  /** `sasl_config_dir`: Cyrus SASL configuration directory; not supported (oslo-rx has no Cyrus SASL), so only '' is accepted. Default ''. */
  readonly saslConfigDir: string;
  /** `sasl_config_name`: Cyrus SASL configuration name; not supported, so only '' is accepted. Default ''. */
  readonly saslConfigName: string;
  /** `sasl_default_realm`: realm appended as `@realm` to a username that has none. Default ''. */
  readonly saslDefaultRealm: string;
  /** `connection_retry_interval`: delay before the first reconnect attempt; at least 1 s. Default 1000. */
  readonly connectionRetryIntervalMs: number;
  /** `connection_retry_backoff`: multiplier of the reconnect delay after each attempt (oslo's help text wrongly says it adds); at least 0. Default 2. */
  readonly connectionRetryBackoff: number;
  /** `connection_retry_interval_max`: the largest reconnect delay; at least 1 s. Default 30000. */
  readonly connectionRetryIntervalMaxMs: number;
  /** `link_retry_delay`: delay before re-attaching a failed link and before resending a released or modified message; at least 1 s. Default 10000. */
  readonly linkRetryDelayMs: number;
  /** `default_reply_retry`: how many times a reply is resent, -1 for no limit; at least -1. Default 0. */
  readonly defaultReplyRetry: number;
  /** `default_reply_timeout`: deadline for delivering an RPC reply; at least 5 s. Default 30000. */
  readonly defaultReplyTimeoutMs: number;
  /** `default_send_timeout`: deadline for delivering a cast (and a call made without a timeout); at least 5 s. Default 30000. */
  readonly defaultSendTimeoutMs: number;
  /** `default_notify_timeout`: deadline for delivering a notification; at least 5 s. Default 30000. */
  readonly defaultNotifyTimeoutMs: number;
  /** `default_sender_link_timeout`: period of the purge of idle sender links; at least 1 s. Default 600000. */
  readonly defaultSenderLinkTimeoutMs: number;
  /** `addressing_mode`: `legacy` (brokers), `routable` (routers), or `dynamic` (chosen from the peer's `product`). Default 'dynamic'. */
  readonly addressingMode: 'legacy' | 'routable' | 'dynamic';
  /** `pseudo_vhost`: put the virtual host inside addresses instead of in the Open `hostname`. Default true. */
  readonly pseudoVhost: boolean;
  /** `server_request_prefix`: legacy addressing, prefix of addresses sent to one server. Default 'exclusive'. */
  readonly serverRequestPrefix: string;
  /** `broadcast_prefix`: legacy addressing, prefix of fanout addresses. Default 'broadcast'. */
  readonly broadcastPrefix: string;
  /** `group_request_prefix`: legacy addressing, prefix of addresses sent to any server of a group. Default 'unicast'. */
  readonly groupRequestPrefix: string;
  /** `rpc_address_prefix`: routable addressing, prefix of RPC addresses. Default 'openstack.org/om/rpc'. */
  readonly rpcAddressPrefix: string;
  /** `notify_address_prefix`: routable addressing, prefix of notification addresses. Default 'openstack.org/om/notify'. */
  readonly notifyAddressPrefix: string;
  /** `multicast_address`: routable addressing, the fanout tag. Default 'multicast'. */
  readonly multicastAddress: string;
  /** `unicast_address`: routable addressing, the one-server tag. Default 'unicast'. */
  readonly unicastAddress: string;
  /** `anycast_address`: routable addressing, the any-server tag. Default 'anycast'. */
  readonly anycastAddress: string;
  /** `default_notification_exchange`: routable addressing, exchange of notification addresses when the target names none. Unset: `controlExchange`. */
  readonly defaultNotificationExchange?: string;
  /** `default_rpc_exchange`: routable addressing, exchange of RPC addresses when the target names none. Unset: `controlExchange`. */
  readonly defaultRpcExchange?: string;
  /** `reply_link_credit`: credit window of the reply receiver; at least 1. Default 200. */
  readonly replyLinkCredit: number;
  /** `rpc_server_credit`: credit window of each RPC server receiver; at least 1. Default 100. */
  readonly rpcServerCredit: number;
  /** `notify_server_credit`: credit window of each notification receiver; at least 1. Default 100. */
  readonly notifyServerCredit: number;
  /** `pre_settled`: message kinds sent pre-settled (fire and forget) instead of waiting for `accepted`. Default ['rpc-cast', 'rpc-reply']. */
  readonly preSettled: readonly PreSettledKind[];
  /** `control_exchange` (oslo `[DEFAULT]`): the exchange used when a target names none. Default 'openstack'. */
  readonly controlExchange: string;
  /** `rpc_response_timeout` (oslo `[DEFAULT]`): default timeout of an RPC call. Default 60000. */
  readonly rpcResponseTimeoutMs: number;
  /** `max_message_size` (oslo-rx): the largest message accepted or sent, in bytes; 0 for no limit. Default 0. */
  readonly maxMessageSize: number;
  /**
   * `reply_address_fallback` (oslo-rx): where the intermediary refuses a dynamic
   * reply source (RabbitMQ 3.x), `auto` falls back to a uniquely named reply
   * queue and `never` fails instead. Default 'auto'.
   */
  readonly replyAddressFallback: 'auto' | 'never';
  /**
   * `durable_notification_queues` (oslo-rx): notifiers and listeners attach with durable
   * termini, so a broker that declares queues from attaches (RabbitMQ) makes the
   * notification queues durable and durable notifications survive its restart. Every
   * producer and consumer of those queues must then attach the same way (RabbitMQ refuses
   * a link whose durability differs from its queue's). Default false.
   */
  readonly durableNotificationQueues: boolean;
  /**
   * `tls` (oslo-rx): Node TLS settings the oslo options do not cover, passed to
   * `tls.connect` (e.g. `{ minVersion: 'TLSv1.3', ciphers: '...' }`); given in code
   * only. The `ssl*` options win over the same settings here. Giving it turns TLS
   * on. Secret: never shown. Default unset.
   */
  readonly tls?: Readonly<NodeTlsOptions>;
  /** `metrics_interval` (oslo-rx): how often `Transport.metrics$` emits a snapshot; 0 turns it off. Default 5000. */
  readonly metricsIntervalMs: number;
  /**
   * `python_exact_json` (oslo-rx): write message bodies byte for byte as Python's
   * `json.dumps` does (`", "` and `": "` separators) instead of the compact form, which
   * Python reads as the same values at a fraction of the CPU. Default false.
   */
  readonly pythonExactJson: boolean;
}
