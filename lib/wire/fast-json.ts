/**
 * JSON text that Python's `json.loads` reads as the same value as {@link pythonJsonDumps}'s
 * text, written at `JSON.stringify` speed.
 *
 * Python's reader does not care about separators, so the common case is `JSON.stringify`
 * followed, only when the text holds non-ASCII (one `Buffer.byteLength`), by an escape pass like `ensure_ascii` (every
 * code unit above 0x7f as a lower-case `\uXXXX`, an astral character as its two surrogates).
 *
 * Where `JSON.stringify` would write a different value, the whole document is written by
 * {@link pythonJsonDumps} instead: a non-finite number (Python's `NaN`/`Infinity` literals,
 * which `JSON.stringify` turns into `null`), `-0` (`-0.0`), an integer beyond 2^53 (all its
 * digits, where `JSON.stringify` writes `12345678901234567000` or `1e+21`), a `bigint` (an int; `JSON.stringify` throws), a `Map` (its entries), any
 * object that is not a plain object, an array or a `Date` (class instances, `Buffer`s, boxed
 * primitives, objects with their own `toJSON`), a circular structure (a `TypeError`) and
 * anything nested deeper than the check goes.
 * @module
 */
import { pythonJsonDumps } from './python-json';

const NON_ASCII_ALL = /[^\x00-\x7f]/g;
/** How deep the check looks before it hands the value to the exact writer (which finds cycles). */
const MAX_CHECKED_DEPTH = 48;

function escapeUnit(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * True when `JSON.stringify(v)` means what `pythonJsonDumps(v)` means to Python. Values that
 * JSON leaves out of objects or writes as null in arrays (undefined, functions, symbols) are
 * treated alike by both writers, so they pass.
 */
function stringifiable(v: unknown, depth: number): boolean {
  switch (typeof v) {
    case 'string': case 'boolean': case 'undefined': case 'function': case 'symbol':
      return true;
    case 'number':
      // NaN fails both comparisons; beyond 2^53 every double is an integer, which the exact
      // writer writes with all its digits (JSON.stringify rounds them, or writes 1e+21);
      // -0 is the only zero whose reciprocal is negative
      return v <= Number.MAX_SAFE_INTEGER && v >= -Number.MAX_SAFE_INTEGER && (v !== 0 || 1 / v > 0);
    case 'bigint':
      return false;
    default:
      break;
  }
  if (v === null) return true;
  if (depth >= MAX_CHECKED_DEPTH) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!stringifiable(v[i], depth + 1)) return false;
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) {
    const o = v as Record<string, unknown>;
    if (typeof o.toJSON === 'function') return false;
    for (const k in o) if (!stringifiable(o[k], depth + 1)) return false;
    return true;
  }
  return v instanceof Date && (v as Date).toJSON === Date.prototype.toJSON;
}

/**
 * `value` as JSON text that Python's `json.loads` reads as the same value it reads from
 * `pythonJsonDumps(value)`, ASCII only, but with `JSON.stringify`'s compact separators and at
 * its speed (see the module notes for the values written the exact way instead).
 *
 * ```ts
 * fastJsonDumps({ method: 'echo', args: { s: 'café' } })
 * // '{"method":"echo","args":{"s":"caf\\u00e9"}}'
 * ```
 * @throws TypeError on a circular structure or an unsupported `Map` key (as {@link pythonJsonDumps})
 */
export function fastJsonDumps(value: unknown): string {
  if (!stringifiable(value, 0)) return pythonJsonDumps(value);
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) return 'null';
  // ASCII only exactly when every code unit is one UTF-8 byte: several times faster than a regex test
  return Buffer.byteLength(text, 'utf8') === text.length ? text : text.replace(NON_ASCII_ALL, escapeUnit);
}
