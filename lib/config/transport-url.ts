/**
 * The transport URL: `amqp://[user[:pass]@]host[:port][,...]/[vhost][?query]`,
 * parsed by oslo's own rules (oslo.messaging `TransportURL.parse`), formatted
 * as oslo formats it, and redacted wherever it is shown.
 * @module
 */
import { isIPv6 } from 'node:net';
import { inspect } from 'node:util';
import { InvalidTransportURL } from './errors';
import { isSecretOption } from './option-table';
import { formatQuery, parseQuery, quote, unquote } from './percent-encoding';
import { REDACTED, redactUrlText } from './redact';
import { showRedacted } from './shown-redacted';

/**
 * The URL schemes oslo-rx accepts. `amqp` is oslo's; `amqps` is an oslo-rx
 * addition that turns TLS on (oslo turns TLS on with the `ssl` options instead).
 */
export type TransportScheme = 'amqp' | 'amqps';

/**
 * The port of a host that names none: 5672 for `amqp`, 5671 for `amqps`.
 * (oslo uses 5672 even with TLS; say `:5671` or use `amqps://`.)
 */
export const DEFAULT_PORTS: Readonly<Record<TransportScheme, number>> = Object.freeze({ amqp: 5672, amqps: 5671 });

/** One host of a transport URL, with its own credentials (oslo has no inheritance between hosts). */
export interface TransportHost {
  /** Hostname or IP address as written (not percent-decoded); an IPv6 address without its brackets. */
  readonly hostname: string;
  /** Port, 1 to 65535. */
  readonly port: number;
  /** Username, percent-decoded; `undefined` when the URL has no `@` for this host. */
  readonly username?: string;
  /** Password, percent-decoded; `undefined` when there is no `:` before the `@`. Never shown (`util.inspect` and `JSON.stringify` of a parsed host give `****`). */
  readonly password?: string;
}

/** The parts of a transport URL, as a plain object (what {@link TransportUrl}'s constructor takes). */
export interface TransportUrlFields {
  /** `amqp`, or `amqps` for TLS. */
  readonly scheme: TransportScheme;
  /** The hosts, tried in turn on failover; none means `localhost` on the default port. */
  readonly hosts: readonly TransportHost[];
  /** The virtual host, percent-decoded; `undefined` (or `''`) for none. */
  readonly virtualHost?: string;
  /** Query parameters: oslo option names and values, a repeated name's values joined with `,`. */
  readonly query?: Readonly<Record<string, string>>;
}

/** Characters a hostname cannot hold, since the URL syntax would split it there. */
const NOT_IN_HOSTNAME = /[/?#@,[\]\t\r\n]/;

/**
 * A parsed transport URL, immutable. Its `toString()`, `toJSON()` and
 * `util.inspect` rendering are redacted (`user:****@host`); only
 * `format({ withPassword: true })` gives the URL with its passwords.
 *
 * ## Example
 * ```ts
 * const url = parseTransportUrl('amqp://us%40er:p%3Ass@h1,h2:5673/vh?idle_timeout=30');
 * url.hosts;       // [{ hostname: 'h1', port: 5672, username: 'us@er', password: 'p:ss' }, { hostname: 'h2', port: 5673 }]
 * String(url);     // 'amqp://us%40er:****@h1:5672,h2:5673/vh?idle_timeout=30'
 * ```
 */
export class TransportUrl implements TransportUrlFields {
  /** `amqp`, or `amqps` for TLS. */
  readonly scheme: TransportScheme;
  /** The hosts, at least one. */
  readonly hosts: readonly TransportHost[];
  /** The virtual host; `undefined` for none. */
  readonly virtualHost?: string;
  /** Query parameters (oslo option names); never an empty value. */
  readonly query: Readonly<Record<string, string>>;

  /**
   * @param fields the parts; hosts are checked (hostname, port 1 to 65535), an
   *   empty host list becomes `localhost` on the default port, an empty virtual
   *   host or query value is dropped (oslo reads neither), and a password
   *   without a username gets the username `''` (as the URL reads back)
   * @throws InvalidTransportURL when a part is not valid
   */
  constructor(fields: TransportUrlFields) {
    const fail = (reason: string): never => {
      throw new InvalidTransportURL(reason);
    };
    if (fields.scheme !== 'amqp' && fields.scheme !== 'amqps') fail(`scheme ${inspect(fields.scheme)} is not amqp or amqps`);
    this.scheme = fields.scheme;
    const hosts = fields.hosts.length > 0 ? fields.hosts : [{ hostname: 'localhost', port: DEFAULT_PORTS[this.scheme] }];
    this.hosts = Object.freeze(hosts.map((h, i) => freezeHost(h, (reason) => fail(`host ${i + 1}: ${reason}`))));
    if (fields.virtualHost) this.virtualHost = fields.virtualHost;
    this.query = Object.freeze(Object.fromEntries(Object.entries(fields.query ?? {}).filter(([, v]) => v !== '')));
    Object.freeze(this);
  }

  /**
   * The URL as oslo writes it: credentials percent-encoded, every port
   * written, the virtual host and query encoded.
   *
   * @param options `withPassword: true` to include the passwords; otherwise they are `****`
   * @returns the URL text
   */
  format(options: { readonly withPassword?: boolean } = {}): string {
    return render(this, options.withPassword ?? false);
  }

  /** The redacted URL: passwords (and secret query values) as `****`. */
  toString(): string {
    return render(this, false);
  }

  /** The redacted URL, so `JSON.stringify` never shows a password. */
  toJSON(): string {
    return render(this, false);
  }

  /** The redacted URL, so `console.log` never shows a password. */
  [inspect.custom](): string {
    return `TransportUrl <${render(this, false)}>`;
  }
}

/** Checks a host and returns a frozen copy holding only its defined fields. */
function freezeHost(host: TransportHost, fail: (reason: string) => never): TransportHost {
  const { hostname, port, username, password } = host;
  if (typeof hostname !== 'string' || hostname === '') fail('empty hostname');
  if (NOT_IN_HOSTNAME.test(hostname) || (hostname.includes(':') && !isIPv6(hostname))) fail(`hostname ${inspect(hostname)} is not valid`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`port ${inspect(port)} is not from 1 to 65535`);
  if (username !== undefined && typeof username !== 'string') fail('username is not a string');
  if (password !== undefined && typeof password !== 'string') fail('password is not a string');
  const frozen: TransportHost = {
    hostname,
    port,
    // A password needs a username in the URL syntax: oslo writes `:pass@` and reads it back as username ''.
    ...(username === undefined ? (password === undefined ? {} : { username: '' }) : { username }),
    ...(password === undefined ? {} : { password }),
  };
  // util.inspect and JSON.stringify of a host show `****` for its password
  return Object.freeze(password === undefined ? frozen : showRedacted(frozen, () => ({ ...frozen, password: REDACTED })));
}

/** Writes a URL as oslo's `TransportURL.__str__` does, with passwords or with `****`. */
function render(url: TransportUrlFields, withPassword: boolean): string {
  const netloc = url.hosts
    .map((h) => {
      let credentials = '';
      if (h.username !== undefined || h.password !== undefined) {
        if (h.username !== undefined) credentials += quote(h.username, '');
        if (h.password !== undefined) credentials += `:${withPassword ? quote(h.password, '') : REDACTED}`;
        credentials += '@';
      }
      const host = h.hostname.includes(':') ? `[${h.hostname}]` : h.hostname;
      return `${credentials}${host}:${h.port}`;
    })
    .join(',');
  const vhost = url.virtualHost ? quote(url.virtualHost) : '';
  const hide = (name: string) => (!withPassword && isSecretOption(name) ? REDACTED : undefined);
  const query = url.query && Object.keys(url.query).length > 0 ? `?${formatQuery(url.query, hide)}` : '';
  return `${url.scheme}://${netloc}/${vhost}${query}`;
}

/**
 * Parses a transport URL by oslo's rules (oslo.messaging `TransportURL.parse`
 * over Python's `urlsplit`):
 * - the scheme is case-insensitive and anything after a `+` is dropped (`amqp+x`);
 * - the host list is split on `,` (empty entries skipped); credentials end at the
 *   **last** `@` of an entry, username and password are split at the first `:`
 *   and percent-decoded; the hostname is not decoded; `[v6]:port` is supported;
 *   no hosts at all means `localhost`;
 * - the virtual host is the percent-decoded path after its first `/`
 *   (`amqp://h/` has none, `amqp://h//` has `/`);
 * - the query is read like `parse_qs`, a repeated name's values joined with `,`;
 *   a fragment is ignored.
 *
 * oslo-rx is stricter where oslo would fail later or connect somewhere
 * surprising: only `amqp` and `amqps`, a `//` after the scheme, a hostname in
 * every entry, ports of ASCII digits from 1 to 65535, nothing between `]` and
 * `:port`, a valid IPv6 address inside brackets in any entry, and no raw
 * bracket in credentials.
 *
 * @param url the URL text
 * @returns the parsed URL (its `toString()` is redacted)
 * @throws InvalidTransportURL for anything else (never another error); its
 *   message shows the URL redacted
 */
export function parseTransportUrl(url: string): TransportUrl {
  if (typeof url !== 'string') throw new InvalidTransportURL(`expected a string, got ${typeof url}`);
  const fail = (reason: string): never => {
    throw new InvalidTransportURL(reason, url);
  };
  // Like urlsplit: leading control characters and spaces go, and so do tabs and newlines anywhere.
  const text = url.replace(/^[\x00-\x20]+/, '').replace(/[\t\r\n]/g, '');
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text);
  if (!schemeMatch) return fail('no scheme (expected amqp:// or amqps://)');
  const scheme = schemeMatch[1].toLowerCase().split('+')[0];
  if (scheme !== 'amqp' && scheme !== 'amqps') return fail(`scheme "${scheme}" is not amqp or amqps`);
  let rest = text.slice(schemeMatch[0].length);
  if (!rest.startsWith('//')) return fail('expected "//" after the scheme');
  const netlocEnd = rest.slice(2).search(/[/?#]/);
  const netloc = netlocEnd < 0 ? rest.slice(2) : rest.slice(2, netlocEnd + 2);
  rest = netlocEnd < 0 ? '' : rest.slice(netlocEnd + 2);
  if (netloc.includes('[') !== netloc.includes(']')) return fail('unbalanced brackets in the host list');
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  const query = q < 0 ? {} : parseQuery(rest.slice(q + 1));
  const virtualHost = path.startsWith('/') ? unquote(path.slice(1)) : undefined;
  const hosts = netloc
    .split(',')
    .filter((entry) => entry !== '')
    .map((entry, i) => parseHost(entry, DEFAULT_PORTS[scheme], (reason) => fail(`host ${i + 1}: ${reason}`)));
  return new TransportUrl({ scheme, hosts, virtualHost, query });
}

/** Parses one entry of the host list: `[user[:pass]@]host[:port]` or `[user[:pass]@][v6][:port]`. */
function parseHost(entry: string, defaultPort: number, fail: (reason: string) => never): TransportHost {
  const at = entry.lastIndexOf('@');
  const hostPart = entry.slice(at + 1);
  let username: string | undefined;
  let password: string | undefined;
  if (at >= 0) {
    const credentials = entry.slice(0, at);
    // Python's urlsplit takes any bracket in the host list for an IPv6 address.
    if (/[[\]]/.test(credentials)) return fail('"[" or "]" in the credentials (percent-encode them)');
    const colon = credentials.indexOf(':');
    username = unquote(colon < 0 ? credentials : credentials.slice(0, colon));
    if (colon >= 0) password = unquote(credentials.slice(colon + 1));
  }
  let hostname: string;
  let portText: string | undefined;
  if (hostPart.startsWith('[')) {
    const close = hostPart.indexOf(']');
    if (close < 0) return fail('no "]" after "["');
    hostname = hostPart.slice(1, close);
    const after = hostPart.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return fail('unexpected text after "]"');
    if (!isIPv6(hostname)) return fail('not an IPv6 address inside "[...]"');
    portText = after === '' ? undefined : after.slice(1);
  } else {
    const colon = hostPart.indexOf(':');
    hostname = colon < 0 ? hostPart : hostPart.slice(0, colon);
    portText = colon < 0 ? undefined : hostPart.slice(colon + 1);
    if (/[[\]]/.test(hostname)) return fail('"[" or "]" in the hostname');
  }
  if (hostname === '') return fail('empty hostname');
  const port = portText === undefined || portText === '' ? defaultPort : /^\d+$/.test(portText) ? Number(portText) : NaN;
  if (Number.isNaN(port)) return fail('the port is not an integer');
  // The port text is not quoted: with a raw '/' in a password, it may be part of the password.
  if (port < 1 || port > 65535) return fail('the port is not from 1 to 65535');
  return {
    hostname,
    port,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
  };
}

/**
 * The URL as oslo writes it, **with** its passwords (for handing to something
 * that must connect); `parseTransportUrl(formatTransportUrl(u))` gives `u` back.
 * Use {@link redactTransportUrl} for anything shown or logged.
 *
 * @param url a parsed URL, or the parts of one
 * @returns the URL text
 */
export function formatTransportUrl(url: TransportUrlFields): string {
  return render(url, true);
}

/**
 * The URL with passwords and secret query values (`ssl_key_password`)
 * replaced by `****`, safe to show and log. Text that does not parse is
 * redacted on the safe side (everything up to the last `@` hidden).
 *
 * @param url URL text, a parsed URL, or the parts of one
 * @returns the redacted URL text
 */
export function redactTransportUrl(url: string | TransportUrlFields): string {
  if (typeof url !== 'string') return render(url, false);
  try {
    return render(parseTransportUrl(url), false);
  } catch {
    return redactUrlText(url);
  }
}
