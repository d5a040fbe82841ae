/**
 * The Addresser contract and the resolution rule both syntaxes share.
 * @module
 */
import type { AddressTarget, ServiceKind } from './address-target';

/** The concrete address syntaxes (the `dynamic` mode picks one of these per connection). */
export type AddressSyntax = 'legacy' | 'routable';

/** Turns targets into AMQP 1.0 addresses in one syntax. */
export interface Addresser {
  /** The syntax this addresser writes. */
  readonly syntax: AddressSyntax;
  /**
   * The address of `target` for `service`: multicast if `fanout`, else unicast if it names a
   * `server`, else anycast (oslo's `Addresser.resolve`).
   */
  resolve(target: AddressTarget, service: ServiceKind): string;
  /** The fanout address of `target` (every server of the topic). */
  multicast(target: AddressTarget, service: ServiceKind): string;
  /** The address of the one server `target.server`. */
  unicast(target: AddressTarget, service: ServiceKind): string;
  /** The shared address of the topic (one of its servers gets each message). */
  anycast(target: AddressTarget, service: ServiceKind): string;
}

/** The three address kinds of one syntax, from which {@link makeAddresser} builds an Addresser. */
export type AddressKinds = Pick<Addresser, 'multicast' | 'unicast' | 'anycast'>;

/** Builds an {@link Addresser} from its three address kinds, adding oslo's resolution rule. */
export function makeAddresser(syntax: AddressSyntax, kinds: AddressKinds): Addresser {
  return Object.freeze({
    syntax,
    ...kinds,
    resolve(target: AddressTarget, service: ServiceKind): string {
      if (target.fanout) return kinds.multicast(target, service);
      if (target.server) return kinds.unicast(target, service);
      return kinds.anycast(target, service);
    },
  });
}

/** Joins the non-empty parts with `separator` (oslo's `_concat`: empty and absent parts are dropped). */
export function joinAddress(separator: string, parts: ReadonlyArray<string | undefined>): string {
  return parts.filter((p): p is string => Boolean(p)).join(separator);
}
