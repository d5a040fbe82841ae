/**
 * Percent-encoding exactly as Python's `urllib.parse` does it, since oslo's
 * `TransportURL` decodes and encodes URLs with those functions: a URL must
 * mean the same thing to oslo-rx as to a Python peer.
 * @module
 */

/** Characters Python's `quote()` never escapes. */
const ALWAYS_SAFE = /[A-Za-z0-9_.~-]/;

/** Decodes bytes as UTF-8, a bad sequence becoming U+FFFD, a byte order mark kept (Python's `errors='replace'`). */
const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * Python's `urllib.parse.unquote`: each run of `%XX` escapes becomes the UTF-8
 * text of its bytes (U+FFFD for bytes that are not UTF-8); a `%` not followed
 * by two hex digits stays as it is. Never throws, unlike `decodeURIComponent`.
 *
 * @param text the percent-encoded text
 * @returns the decoded text
 */
export function unquote(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(3 * i + 1, 3 * i + 3), 16);
    return utf8.decode(bytes);
  });
}

/**
 * Python's `urllib.parse.quote(text, safe)`: every UTF-8 byte outside
 * `A-Z a-z 0-9 _ . ~ -` and `safe` becomes `%XX` (upper-case hex).
 *
 * @param text the text to encode
 * @param safe further ASCII characters to leave as they are (Python's default is `/`)
 * @returns the encoded text
 */
export function quote(text: string, safe = '/'): string {
  let out = '';
  for (const ch of text) {
    if (ALWAYS_SAFE.test(ch) || (ch.length === 1 && ch.charCodeAt(0) < 0x80 && safe.includes(ch))) {
      out += ch;
    } else {
      for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/**
 * Python's `urllib.parse.quote_plus`: like {@link quote} with nothing extra
 * safe, but a space becomes `+`. Used for query keys and values.
 *
 * @param text the text to encode
 * @returns the encoded text
 */
export function quotePlus(text: string): string {
  return text
    .split(' ')
    .map((part) => quote(part, ''))
    .join('+');
}

/**
 * oslo's reading of a URL query: Python's `parse_qs` (fields split on `&`,
 * `+` read as a space, names and values unquoted, fields without `=` or with
 * an empty value dropped), then the values of a repeated name joined with `,`.
 *
 * @param query the text after `?`, without it
 * @returns the names in order of first appearance, each with its joined value
 */
export function parseQuery(query: string): Record<string, string> {
  const values = new Map<string, string[]>();
  for (const field of query.split('&')) {
    const eq = field.indexOf('=');
    if (eq < 0 || eq === field.length - 1) continue;
    const name = unquote(field.slice(0, eq).replace(/\+/g, ' '));
    const value = unquote(field.slice(eq + 1).replace(/\+/g, ' '));
    const list = values.get(name);
    if (list) list.push(value);
    else values.set(name, [value]);
  }
  return Object.fromEntries([...values].map(([name, list]) => [name, list.join(',')]));
}

/**
 * oslo's writing of a URL query (Python's `urlencode(query, doseq=True)` of
 * string values): `name=value` pairs joined with `&`, each side {@link quotePlus}-encoded.
 *
 * @param query names and values
 * @param replace returns the text to write, unencoded, instead of a name's value
 *   (e.g. `'****'` for a secret), or `undefined` to write the value
 * @returns the query text, without the leading `?`
 */
export function formatQuery(
  query: Readonly<Record<string, string>>,
  replace: (name: string) => string | undefined = () => undefined,
): string {
  return Object.entries(query)
    .map(([name, value]) => `${quotePlus(name)}=${replace(name) ?? quotePlus(value)}`)
    .join('&');
}
