/**
 * Messenger addresses: `amqp://[user[:pass]@]host[:port]/node` names a node on a
 * peer, `amqp://[user:pass@]~host[:port]` asks to listen there.
 * @module
 */
import { InvalidTransportURL, type TransportHost, type TransportScheme, parseTransportUrl } from '../config';
import { quote } from '../config/percent-encoding';

/** A node on a remote peer (a broker, a router, or a listening messenger). */
export interface RemoteAddress {
  /** Always `remote`. */
  readonly kind: 'remote';
  /** `amqp`, or `amqps` for TLS. */
  readonly scheme: TransportScheme;
  /** The peer, with the credentials the address gave. */
  readonly host: TransportHost;
  /** The node (the AMQP address): the percent-decoded path after the first `/`. */
  readonly node: string;
  /** `host:port` (IPv6 in brackets): the key of per-host option overrides. */
  readonly hostPort: string;
  /** `scheme://[user@]host:port`: one transport per key. Holds no password. */
  readonly key: string;
}

/** Where a listening subscription listens. */
export interface ListenAddress {
  /** Always `listen`. */
  readonly kind: 'listen';
  /** The address to bind, e.g. `0.0.0.0` or `127.0.0.1`. */
  readonly host: string;
  /** The port to bind; 0 picks a free one. */
  readonly port: number;
  /** With `user:pass@`: the one user SASL PLAIN accepts; otherwise any peer may connect. */
  readonly users?: Readonly<Record<string, string>>;
}

/** What {@link parseMessengerAddress} makes of an address. */
export type MessengerAddress = RemoteAddress | ListenAddress;

/** The scheme, the credentials and a `~` right before the host. */
const LISTEN = /^(\s*[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^/?#]*@)?)~/;

/** A host followed by port 0. */
const ANY_PORT = /^([^/?#]*):0+(?=[/?#]|$)/;

/**
 * Parses a messenger address with the transport URL rules (see `parseTransportUrl`),
 * where the path names the node instead of a virtual host: `amqp://h:5672/orders`,
 * `amqp://h//topic/news` (node `/topic/news`), `amqp://~0.0.0.0:5672` (listen).
 *
 * @throws InvalidTransportURL when it is not such an address: not a URL, several hosts,
 *   a query, no node to send to (or a node on a listen address), TLS on a listen address
 */
export function parseMessengerAddress(address: string): MessengerAddress {
  if (typeof address !== 'string') throw new InvalidTransportURL(`expected an address string, got ${typeof address}`);
  const listen = LISTEN.exec(address);
  let text = address;
  let anyPort = false;
  if (listen) {
    // drop the `~`; port 0 (any free port) is fine for listening, though not for connecting
    let rest = address.slice(listen[0].length);
    const zero = ANY_PORT.exec(rest);
    if (zero) {
      anyPort = true;
      rest = `${zero[1]}:1${rest.slice(zero[0].length)}`;
    }
    text = listen[1] + rest;
  }
  const url = parseTransportUrl(text);
  const fail = (reason: string): never => {
    throw new InvalidTransportURL(reason, address);
  };
  if (url.hosts.length !== 1) fail('a messenger address names exactly one host');
  if (Object.keys(url.query).length > 0) fail('a messenger address takes no query (give options to createMessenger)');
  const host = url.hosts[0];
  const hostPort = `${host.hostname.includes(':') ? `[${host.hostname}]` : host.hostname}:${host.port}`;
  if (listen) {
    if (url.scheme === 'amqps') fail('listening with TLS (amqps) is not supported');
    if (url.virtualHost !== undefined) fail('a listen address (~host:port) names no node');
    const port = anyPort ? 0 : host.port;
    const users = host.username === undefined ? undefined : { [host.username]: host.password ?? '' };
    return { kind: 'listen', host: host.hostname, port, ...(users ? { users } : {}) };
  }
  if (!url.virtualHost) fail('no node to send to or subscribe to (amqp://host:port/node)');
  const user = host.username === undefined ? '' : `${quote(host.username, '')}@`;
  return { kind: 'remote', scheme: url.scheme, host, node: url.virtualHost!, hostPort, key: `${url.scheme}://${user}${hostPort}` };
}
