/**
 * Addressing presets for intermediaries whose defaults do not fit oslo's addresses.
 * @module
 */
import type { AddressingOptions } from './addressing-options';

/** The names of the {@link addressingPresets}. */
export type AddressingPresetName = 'qpidd' | 'qdrouterd' | 'activemq' | 'rabbitmq3';

/**
 * Named option sets for common intermediaries. Spread one into the transport options (or set
 * the same values in the URL query); explicit options given after it win.
 *
 * ```ts
 * createTransport(url, { ...addressingPresets.activemq, controlExchange: 'nova' });
 * // same as amqp://host/?addressing_mode=legacy&broadcast_prefix=topic%3A%2F%2Fbroadcast
 * ```
 *
 * - `qpidd`: legacy addressing, as `dynamic` already picks for a peer that advertises
 *   `qpid-cpp` or no product.
 * - `qdrouterd`: routable addressing; the router needs `address` entries for the prefixes
 *   (`openstack.org/om/rpc/multicast` with distribution multicast, `.../unicast` closest,
 *   `.../anycast` balanced, and the same under `openstack.org/om/notify`).
 * - `activemq` (ActiveMQ 5): legacy addressing with `broadcastPrefix: 'topic://broadcast'`.
 *   ActiveMQ treats plain names as queues, so a fanout address must carry its `topic://`
 *   prefix to reach every server (the fanout address becomes
 *   `topic://broadcast.<exchange>.<topic>.all`). Also configure the AMQP connector with
 *   `transport.transformer=raw`: with `jms` or `native`, Python peers' calls expire because
 *   their absolute-expiry-time is wrong (oslo-rx sets a correct one).
 * - `rabbitmq3` (RabbitMQ 3.x with the `rabbitmq_amqp1_0` plugin): legacy addressing with
 *   `broadcastPrefix: '/topic/broadcast'`. Plain names are queues there (auto-declared,
 *   non-durable, not auto-delete), and routable names (with `/`) are refused. A `/topic/KEY`
 *   address makes the plugin give each receiver link its own queue bound to `amq.topic` with
 *   binding key KEY, and a message sent to `/topic/KEY` is published to `amq.topic` with
 *   routing key KEY; so the fanout address `/topic/broadcast.openstack.<topic>.all` reaches
 *   every subscribed server. Those per-link queues are neither exclusive nor auto-delete and
 *   outlive their links, so a node gathers one queue per past fanout subscription; delete
 *   them with `rabbitmqctl` (`list_queues`/`delete_queue`) or a queue TTL policy. Python
 *   peers cannot use RabbitMQ 3.x at all (it refuses dynamic reply sources).
 */
export const addressingPresets: Readonly<Record<AddressingPresetName, Readonly<Partial<AddressingOptions>>>> =
  Object.freeze({
    qpidd: Object.freeze({ addressingMode: 'legacy' }),
    qdrouterd: Object.freeze({ addressingMode: 'routable' }),
    activemq: Object.freeze({ addressingMode: 'legacy', broadcastPrefix: 'topic://broadcast' }),
    rabbitmq3: Object.freeze({ addressingMode: 'legacy', broadcastPrefix: '/topic/broadcast' }),
  });
