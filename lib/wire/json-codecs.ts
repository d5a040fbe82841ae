/**
 * Small io-ts codecs for JSON values, named for clear decode errors.
 * @module
 */
import * as t from 'io-ts';

/** A JSON object (a dict on the Python side): not null, not an array. */
export const JsonObject = new t.Type<Readonly<Record<string, unknown>>, Readonly<Record<string, unknown>>, unknown>(
  'object',
  t.UnknownRecord.is,
  (u, c) => (t.UnknownRecord.is(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** A finite number, zero or more (a duration in seconds on the wire). */
export const NonNegativeNumber = new t.Type<number, number, unknown>(
  'non-negative number',
  (u): u is number => typeof u === 'number' && Number.isFinite(u) && u >= 0,
  (u, c) => (typeof u === 'number' && Number.isFinite(u) && u >= 0 ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** `codec` or JSON null (Python's None). */
export function nullable<C extends t.Mixed>(codec: C): t.UnionC<[C, t.NullC]> {
  return t.union([codec, t.null], `${codec.name} or null`);
}

/** Drops a null (Python's None) to undefined. */
export function orUndefined<A>(v: A | null | undefined): A | undefined {
  return v === null ? undefined : v;
}
