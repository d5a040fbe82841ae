/**
 * JSON text that Python's `json.loads` reads as the same value as {@link pythonJsonDumps}'s
 * text, written at `JSON.stringify` speed.
 *
 * Python's reader does not care about separators, so the common case is `JSON.stringify`
 * followed, only when the text holds non-ASCII (one `Buffer.byteLength`), by an escape pass
 * like `ensure_ascii` (every code unit above 0x7f as a lower-case `\uXXXX`, an astral
 * character as its two surrogates). A value made mostly of long strings (a 1 KiB payload) is
 * written to the same text by a small JavaScript writer instead, because V8's `JSON.stringify`
 * scans long strings about twice as slowly as one regex test does.
 *
 * Where `JSON.stringify` would write a different value, the whole document is written by
 * {@link pythonJsonDumps} instead: a non-finite number (Python's `NaN`/`Infinity` literals,
 * which `JSON.stringify` turns into `null`), `-0` (`-0.0`), an integer beyond 2^53 (all its
 * digits, where `JSON.stringify` writes `12345678901234567000` or `1e+21`), a `bigint` (an
 * int; `JSON.stringify` throws), a `Map` (its entries), any object that is not a plain
 * object, an array or a `Date` (class instances, `Buffer`s, boxed primitives, objects with
 * their own `toJSON`), a circular structure (a `TypeError`) and anything nested deeper than
 * the check goes.
 * @module
 */
import { pythonJsonDumps } from './python-json';

const NON_ASCII_ALL = /[^\x00-\x7f]/g;
/** Characters a JSON string holds as they are, and that need no ASCII escape: printable ASCII but `"` and `\`. */
const NEEDS_ESCAPE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;
/** How deep the check looks before it hands the value to the exact writer (which finds cycles). */
const MAX_CHECKED_DEPTH = 48;
/** Strings from this length count as long: V8's JSON.stringify scans them about twice as slowly as a regex test does. */
const LONG_STRING = 64;
/** Long-string characters per value above which the string-friendly writer wins over JSON.stringify. */
const LONG_CHARS_PER_VALUE = 8;

function escapeUnit(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `text` (JSON) with every non-ASCII code unit escaped; ASCII exactly when every unit is one UTF-8 byte. */
function asciiOnly(text: string): string {
  return Buffer.byteLength(text, 'utf8') === text.length ? text : text.replace(NON_ASCII_ALL, escapeUnit);
}

/** What the check last found: how many values, how many characters in long strings (the check is synchronous). */
let checkedValues = 0;
let longChars = 0;

/**
 * True when `JSON.stringify(v)` means what `pythonJsonDumps(v)` means to Python; counts the
 * values and long-string characters on the way. Values that JSON leaves out of objects or
 * writes as null in arrays (undefined, functions, symbols) are treated alike by both writers.
 */
function stringifiable(v: unknown, depth: number): boolean {
  checkedValues++;
  switch (typeof v) {
    case 'string':
      if (v.length >= LONG_STRING) longChars += v.length;
      return true;
    case 'boolean': case 'undefined': case 'function': case 'symbol':
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
  const o = v as Record<string, unknown>;
  // the constructor test is the cheap one; the prototype decides when it fails (own "constructor" keys, null prototypes)
  if (o.constructor === Object || isPlainPrototype(Object.getPrototypeOf(o))) {
    if (typeof o.toJSON === 'function') return false;
    for (const k in o) if (!stringifiable(o[k], depth + 1)) return false;
    return true;
  }
  return v instanceof Date && (v as Date).toJSON === Date.prototype.toJSON;
}

const isPlainPrototype = (proto: unknown): boolean => proto === Object.prototype || proto === null;

const isSkipped = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

function writeString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? asciiOnly(JSON.stringify(s)) : `"${s}"`;
}

/**
 * The same text as `asciiOnly(JSON.stringify(v))` for a value {@link stringifiable} passed,
 * written in JavaScript: slower on many small values, faster on long strings (one regex test,
 * then the string as it is).
 */
function writeCompact(v: unknown): string {
  switch (typeof v) {
    case 'string': return writeString(v);
    case 'number': return String(v);
    case 'boolean': return v ? 'true' : 'false';
    default: break;
  }
  if (v === null) return 'null';
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i === 0 ? '' : ',') + (isSkipped(v[i]) ? 'null' : writeCompact(v[i]));
    return `${out}]`;
  }
  if (v instanceof Date) return writeCompact(v.toJSON());
  let out = '';
  const o = v as Record<string, unknown>;
  // own keys in JSON.stringify's order (for-in would add inherited enumerable ones)
  for (const k of Object.keys(o)) {
    if (!isSkipped(o[k])) out += `${out === '' ? '' : ','}${writeString(k)}:${writeCompact(o[k])}`;
  }
  return `{${out}}`;
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
  checkedValues = 0;
  longChars = 0;
  if (!stringifiable(value, 0)) return pythonJsonDumps(value);
  if (isSkipped(value)) return 'null';
  return longChars > checkedValues * LONG_CHARS_PER_VALUE ? writeCompact(value) : asciiOnly(JSON.stringify(value));
}
