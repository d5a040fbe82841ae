/**
 * A small io-ts reporter: the first failure of a decode, as the path of the
 * field that failed, the value found there and what was expected.
 * @module
 */
import * as t from 'io-ts';

/** Where and why a decode failed. */
export interface DecodeFailure {
  /** Dotted path of the failing field, e.g. `idleTimeoutMs` or `preSettled.1`; `''` for the value itself. */
  readonly path: string;
  /** The value found at that path. */
  readonly value: unknown;
  /** The name of the codec that refused it, e.g. `an integer >= 0 (milliseconds)`. */
  readonly expected: string;
}

/**
 * Reports the first of a decode's errors. Members of an intersection do not
 * show in the path (they are not fields).
 *
 * @param errors the `Left` of an io-ts `decode`
 * @returns the first failure, or `undefined` if `errors` is empty
 */
export function firstDecodeFailure(errors: t.Errors): DecodeFailure | undefined {
  const first = errors[0];
  if (first === undefined) return undefined;
  const { context } = first;
  const path = context
    .slice(1)
    .filter((_entry, i) => !(context[i].type instanceof t.IntersectionType))
    .map((entry) => entry.key)
    .join('.');
  return { path, value: first.value, expected: context[context.length - 1]?.type.name ?? 'a valid value' };
}
