/**
 * Makes an object that holds a secret show a redacted copy of itself instead,
 * wherever it is shown: `util.inspect` (so `console.log` and debug's `%O`) and `JSON.stringify`.
 * @module
 */
import { inspect } from 'node:util';

/**
 * Gives `value` a non-enumerable `util.inspect.custom` and `toJSON` that render
 * `redacted()` instead of it. Non-enumerable, so spreading, comparing and iterating
 * the object see only its own fields. Call it before freezing `value`.
 *
 * @param value the object holding a secret
 * @param redacted a copy of it with the secrets replaced (e.g. by `****`)
 * @returns `value`
 */
export function showRedacted<T extends object>(value: T, redacted: () => unknown): T {
  Object.defineProperty(value, inspect.custom, {
    value: (_depth: number, options: Parameters<typeof inspect>[1]) => inspect(redacted(), options),
  });
  Object.defineProperty(value, 'toJSON', { value: () => redacted() });
  return value;
}
