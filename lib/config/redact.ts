/**
 * Redaction of secrets in text: what a password is replaced by, and the
 * best-effort redaction of a URL that could not be parsed.
 * @module
 */
import { isSecretOption } from './option-table';
import { unquote } from './percent-encoding';

/** What a password or other secret is shown as. */
export const REDACTED = '****';

/**
 * Hides anything that may be a password in URL text that could not be parsed,
 * for error messages. It errs on the safe side: everything between the start
 * of the host list and the last `@` is hidden (only a lone username before
 * a `:` is kept), and so are the values of secret query options such as
 * `ssl_key_password`. A URL that parses is better redacted with
 * `redactTransportUrl`.
 *
 * @param url any text
 * @returns the text with possible secrets replaced by {@link REDACTED}
 */
export function redactUrlText(url: string): string {
  const scheme = /^[^:/?#@]*:\/\//.exec(url);
  const start = scheme ? scheme[0].length : 0;
  const at = url.lastIndexOf('@');
  const credentials = at >= start ? url.slice(start, at) : '';
  if (!credentials.includes(':') && !credentials.includes(',')) return redactQuery(url);
  const colon = credentials.indexOf(':');
  const user = colon >= 0 && !credentials.slice(0, colon).includes(',') ? credentials.slice(0, colon + 1) : '';
  return url.slice(0, start) + user + REDACTED + redactQuery(url.slice(at));
}

/** Hides the values of secret options in the raw query of `text`, if it has one. */
function redactQuery(text: string): string {
  const q = text.indexOf('?');
  return q < 0 ? text : `${text.slice(0, q + 1)}${redactQueryFields(text.slice(q + 1))}`;
}

/** Hides the values of secret options in raw query fields. */
function redactQueryFields(query: string): string {
  return query
    .split('&')
    .map((field) => {
      const eq = field.indexOf('=');
      return eq >= 0 && isSecretOption(unquote(field.slice(0, eq).replace(/\+/g, ' '))) ? `${field.slice(0, eq)}=${REDACTED}` : field;
    })
    .join('&');
}
