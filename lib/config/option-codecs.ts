/**
 * The small io-ts codecs the option table is made of. They validate without
 * branding, so an option's static type stays a plain `number`, `string`, … and
 * never throw: a bad value is a `Left`.
 * @module
 */
import * as t from 'io-ts';

/**
 * An integer (a safe one, so never `NaN` or `Infinity`) no smaller than `min`.
 *
 * @param min the smallest value accepted
 * @param name the codec's name, shown in error messages as what was expected
 * @returns the codec
 */
export function integerAtLeast(min: number, name = `an integer >= ${min}`): t.Type<number, number, unknown> {
  const is = (u: unknown): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= min;
  return new t.Type<number, number, unknown>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c)), t.identity);
}

/**
 * One of the given strings.
 *
 * @param values the strings accepted
 * @returns the codec, named after the choices
 */
export function oneOf<V extends string>(values: readonly [V, ...V[]]): t.Type<V, V, unknown> {
  const is = (u: unknown): u is V => typeof u === 'string' && (values as readonly string[]).includes(u);
  return new t.Type<V, V, unknown>(
    `one of ${values.map((v) => `'${v}'`).join(', ')}`,
    is,
    (u, c) => (is(u) ? t.success(u) : t.failure(u, c)),
    t.identity,
  );
}

/**
 * A string that `accept` approves.
 *
 * @param name the codec's name, shown in error messages as what was expected
 * @param accept the check
 * @returns the codec
 */
export function stringWhere(name: string, accept: (s: string) => boolean): t.Type<string, string, unknown> {
  const is = (u: unknown): u is string => typeof u === 'string' && accept(u);
  return new t.Type<string, string, unknown>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c)), t.identity);
}

/**
 * A plain object of settings passed through as they are (checked to be an object, not inspected).
 *
 * @param name the codec's name, shown in error messages as what was expected
 * @returns the codec
 */
export function settingsObject<A extends object>(name: string): t.Type<A, A, unknown> {
  const is = (u: unknown): u is A => typeof u === 'object' && u !== null && !Array.isArray(u);
  return new t.Type<A, A, unknown>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c)), t.identity);
}
