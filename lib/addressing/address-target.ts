/**
 * What an address is made from.
 * @module
 */

/**
 * The fields of a Target that decide its address (oslo's `exchange`, `topic`, `server`, `fanout`).
 * An rpc `Target` satisfies it.
 */
export interface AddressTarget {
  /** The exchange; empty or absent means the default exchange of the service. */
  readonly exchange?: string;
  /** The topic. */
  readonly topic: string;
  /** A server name: a non-empty one gives a unicast address (unless `fanout`). */
  readonly server?: string;
  /** True: a multicast (fanout) address; wins over `server`. */
  readonly fanout?: boolean;
}

/**
 * The service an address is for. Routable addresses differ per service (prefix and default
 * exchange); legacy addresses are the same for both.
 */
export type ServiceKind = 'rpc' | 'notify';
