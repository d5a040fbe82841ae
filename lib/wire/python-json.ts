/**
 * JSON text exactly as Python's `json.dumps` writes it, and a parser that reads it back.
 *
 * oslo.messaging serializes every body with `json.dumps` defaults, so byte-compatible bodies
 * need the same text: `", "` and `": "` separators, non-ASCII written as lower-case `\uXXXX`
 * escapes (astral characters as surrogate pairs), `NaN`/`Infinity`/`-Infinity` for the
 * non-finite floats, and keys in insertion order.
 *
 * Numbers: JavaScript has one number type where Python has `int` and `float`. Integral values
 * are written as Python writes ints (`1`, `10000000000000000`, never `1.0` or `1e+16`), so a
 * Python `1.0` comes back as `1`; Python's `json.loads` then reads an `int`, which Python code
 * almost always treats the same. Other numbers are written like Python's `repr(float)`
 * (`0.1`, `1e-05`, `1.5e-07`); `-0` is written `-0.0` so it survives a round trip. `bigint`
 * values are written as ints. Integers beyond 2^53 read from Python lose precision, as with
 * `JSON.parse`.
 *
 * Key order: JavaScript objects list integer-like keys (`"2"`) first, in ascending order, before
 * the other keys; pass a `Map` to write keys in exactly the order given.
 * @module
 */

/** Characters `json.dumps` writes as they are: printable ASCII except `"` and `\`. */
const NEEDS_ESCAPE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;
const ESCAPE_ALL = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g;
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f',
};

function escapeChar(c: string): string {
  return SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** A string as `json.dumps` (ensure_ascii) writes it, quotes included. */
function dumpString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? `"${s.replace(ESCAPE_ALL, escapeChar)}"` : `"${s}"`;
}

/** A number as Python writes an int or a float. */
function dumpNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (Object.is(n, -0)) return '-0.0';
  if (Number.isInteger(n)) return Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
  // Non-integral doubles are below 2^52, so Python's repr only switches to exponent notation
  // for small magnitudes (decimal exponent < -4), writing at least two exponent digits.
  const [mantissa, exp] = n.toExponential().split('e') as [string, string];
  const e = Number(exp);
  if (e >= -4) return String(n);
  return `${mantissa}e-${String(-e).padStart(2, '0')}`;
}

/** A key of a `Map` as Python writes a dict key (str, int, float, bool or None). */
function dumpKey(k: unknown): string {
  if (typeof k === 'string') return dumpString(k);
  if (typeof k === 'number' || typeof k === 'bigint') return `"${typeof k === 'number' ? dumpNumber(k) : k}"`;
  if (typeof k === 'boolean' || k === null) return `"${String(k)}"`;
  throw new TypeError(`keys must be str, int, float, bool or None, not ${typeof k}`);
}

/** True for values JSON leaves out of objects (and writes as null in arrays). */
function isSkipped(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

function dumpValue(value: unknown, seen: Set<object>): string {
  let v = value;
  if (typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON: () => unknown }).toJSON();
  }
  switch (typeof v) {
    case 'string': return dumpString(v);
    case 'number': return dumpNumber(v);
    case 'bigint': return v.toString();
    case 'boolean': return v ? 'true' : 'false';
    case 'undefined': case 'function': case 'symbol': return 'null';
    default: break;
  }
  if (v === null) return 'null';
  const obj = v as object;
  if (seen.has(obj)) throw new TypeError('Circular reference detected');
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      // a loop, not map(): map skips the holes of a sparse array, which must be written as null
      const items: string[] = [];
      for (let i = 0; i < obj.length; i++) items.push(isSkipped(obj[i]) ? 'null' : dumpValue(obj[i], seen));
      return `[${items.join(', ')}]`;
    }
    const entries: Array<[unknown, unknown]> = obj instanceof Map
      ? [...obj.entries()]
      : Object.keys(obj).map((k) => [k, (obj as Record<string, unknown>)[k]]);
    const parts: string[] = [];
    for (const [k, item] of entries) {
      if (!isSkipped(item)) parts.push(`${dumpKey(k)}: ${dumpValue(item, seen)}`);
    }
    return `{${parts.join(', ')}}`;
  } finally {
    seen.delete(obj);
  }
}

/**
 * `value` as JSON text, byte for byte what Python's `json.dumps(value)` writes for the same
 * data (see the module notes on numbers and key order).
 *
 * Values JSON cannot hold follow `JSON.stringify`: `toJSON()` is used when present (a `Date`
 * becomes its ISO string), `undefined`, functions and symbols are left out of objects and
 * written as `null` elsewhere.
 *
 * ```ts
 * pythonJsonDumps({ method: 'echo', args: { s: 'café' } })
 * // '{"method": "echo", "args": {"s": "caf\\u00e9"}}'
 * ```
 * @throws TypeError on a circular structure or an unsupported `Map` key
 */
export function pythonJsonDumps(value: unknown): string {
  return dumpValue(value, new Set());
}

/** Bare tokens Python's json module reads and writes that JSON.parse does not accept. */
const PYTHON_CONSTANTS: ReadonlyArray<readonly [string, number]> = [
  ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity],
];
const STRING_TOKEN = /"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y;
const NUMBER_TOKEN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

/** A small JSON parser that also reads Python's constants; used only when JSON.parse fails. */
class PythonJsonParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parse(): unknown {
    const value = this.value();
    this.skipWhitespace();
    if (this.pos !== this.text.length) this.fail('unexpected data after the JSON value');
    return value;
  }

  private fail(what: string): never {
    throw new SyntaxError(`${what} at position ${this.pos}`);
  }

  private skipWhitespace(): void {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.exec(this.text);
    this.pos = WHITESPACE.lastIndex;
  }

  private match(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) return undefined;
    this.pos = re.lastIndex;
    return m[0];
  }

  private value(): unknown {
    this.skipWhitespace();
    const c = this.text[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') {
      const s = this.match(STRING_TOKEN);
      return s === undefined ? this.fail('invalid string') : (JSON.parse(s) as string);
    }
    for (const [token, n] of PYTHON_CONSTANTS) {
      if (this.text.startsWith(token, this.pos)) {
        this.pos += token.length;
        return n;
      }
    }
    for (const [token, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(token, this.pos)) {
        this.pos += token.length;
        return v;
      }
    }
    const num = this.match(NUMBER_TOKEN);
    return num === undefined ? this.fail('unexpected token') : Number(num);
  }

  private array(): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === ']') return out;
      if (c !== ',') this.fail('expected "," or "]"');
    }
  }

  private object(): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail('expected a string key');
      const key = this.value() as string;
      this.skipWhitespace();
      if (this.text[this.pos++] !== ':') this.fail('expected ":"');
      // defineProperty, not assignment: a "__proto__" key must stay an own property (as with JSON.parse)
      Object.defineProperty(out, key, { value: this.value(), writable: true, enumerable: true, configurable: true });
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') this.fail('expected "," or "}"');
    }
  }
}

/**
 * Parses JSON text like Python's `json.loads`: standard JSON plus the bare `NaN`, `Infinity`
 * and `-Infinity` that Python writes for non-finite floats.
 *
 * ```ts
 * jsonLoads('{"x": NaN}') // { x: NaN }
 * ```
 * @throws SyntaxError when the text is not JSON (the message gives a position, never the text)
 */
export function jsonLoads(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Either Python's constants or an error: the fallback reads the former and reports the
    // latter by position (JSON.parse's own message quotes the text).
    return new PythonJsonParser(text).parse();
  }
}
