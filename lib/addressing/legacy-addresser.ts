/**
 * Legacy (broker) addresses.
 * @module
 */
import type { AddressingOptions } from './addressing-options';
import { type Addresser, joinAddress, makeAddresser } from './addresser';
import type { AddressTarget } from './address-target';

/** The options the legacy syntax reads. */
export type LegacyAddressingOptions = Pick<
  AddressingOptions,
  'pseudoVhost' | 'serverRequestPrefix' | 'broadcastPrefix' | 'groupRequestPrefix' | 'controlExchange'
>;

/**
 * The legacy syntax, for brokers (qpidd, ActiveMQ, RabbitMQ): dot-separated, the same for RPC
 * and notifications.
 *
 * - unicast: `<serverRequestPrefix>[.<vhost>].<exchange>.<topic>.<server>`
 * - multicast: `<broadcastPrefix>[.<vhost>].<exchange>.<topic>.all`
 * - anycast: `<groupRequestPrefix>[.<vhost>].<exchange>.<topic>`
 *
 * The exchange is the target's, else `controlExchange`. The vhost is inserted only when
 * `pseudoVhost` is true (and it is non-empty).
 *
 * ```ts
 * legacyAddresser(options, 'myvh').resolve({ topic: 'compute', server: 'h1' }, 'rpc')
 * // 'exclusive.myvh.openstack.compute.h1'
 * ```
 * @param options the addressing options
 * @param vhost the virtual host of the transport URL, if any
 */
export function legacyAddresser(options: LegacyAddressingOptions, vhost?: string): Addresser {
  const vh = options.pseudoVhost ? vhost : undefined;
  const exchange = (t: AddressTarget): string | undefined => t.exchange || options.controlExchange;
  return makeAddresser('legacy', {
    multicast: (t) => joinAddress('.', [options.broadcastPrefix, vh, exchange(t), t.topic, 'all']),
    unicast: (t) => joinAddress('.', [options.serverRequestPrefix, vh, exchange(t), t.topic, t.server]),
    anycast: (t) => joinAddress('.', [options.groupRequestPrefix, vh, exchange(t), t.topic]),
  });
}
