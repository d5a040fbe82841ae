/**
 * Builds rhea connection options for one host of a transport URL, the way
 * oslo.messaging's AMQP 1.0 driver opens its connections (WIRE.md §2).
 * @module
 */
import { readFileSync } from 'node:fs';
import { connect as netConnect, isIP } from 'node:net';
import { basename } from 'node:path';
import { hostname as nodeName } from 'node:os';
import { randomUUID } from 'node:crypto';
import { type ConnectionOptions as TlsConnectOptions, type PeerCertificate, type SecureContext, type SecureContextOptions, type TLSSocket, checkServerIdentity, connect as tlsConnect, createSecureContext } from 'node:tls';
import type { ConnectionOptions } from 'rhea-promise';
import { type AmqpOptions, InvalidOption, SUPPORTED_SASL_MECHANISMS, type SaslMechanismName, type TransportHost, parseSaslMechanisms } from '../config';
import type { OpeningFailure } from './errors';
import { type SaslCredentials, clientMechanisms } from './sasl-client';
import { coalesceWrites } from './coalesce-writes';

/** Where to connect and how: one host of the URL, the URL's vhost and the resolved options. */
export interface ConnectionTarget {
  /** The host to connect to. */
  readonly host: TransportHost;
  /** The URL's virtual host, if any. */
  readonly virtualHost?: string;
  /** True for `amqps://` URLs: TLS even without TLS options. */
  readonly tls?: boolean;
  /** The resolved options. */
  readonly options: AmqpOptions;
}

/** oslo's container id: `openstack.org/om/container/<node>/<command>/<pid>/<uuid hex>`. */
export function defaultContainerId(): string {
  const command = basename(process.argv[1] ?? process.argv0);
  return `openstack.org/om/container/${nodeName()}/${command}/${process.pid}/${randomUUID().replace(/-/g, '')}`;
}

/** True when the options or the URL ask for TLS (oslo: `ssl`, `ssl_ca_file` or `ssl_cert_file`; oslo-rx: `amqps://`, `tls`). */
export function wantsTls(target: ConnectionTarget): boolean {
  const o = target.options;
  return Boolean(target.tls || o.ssl || o.sslCaFile || o.sslCertFile || o.tls);
}

/** The SASL mechanisms and credentials of an attempt; `undefined` for no SASL at all. */
function saslCredentials(target: ConnectionTarget): SaslCredentials | undefined {
  const { username, password } = target.host;
  const parsed = parseSaslMechanisms(target.options.saslMechanisms);
  // the options codec refuses unsupported names, so this is only for options built by hand
  if ('unsupported' in parsed) throw new InvalidOption('saslMechanisms', target.options.saslMechanisms, `${parsed.unsupported} is not supported`);
  const listed = parsed.mechanisms;
  // Like oslo (pyngus), SASL is used only when there is a username or a mechanism is configured.
  if (username === undefined && listed.length === 0) return undefined;
  const realm = target.options.saslDefaultRealm;
  const user = username !== undefined && realm && !username.includes('@') ? `${username}@${realm}` : username;
  const explicit = listed.length > 0;
  const clientCertificate = wantsTls(target) && hasClientCertificate(target.options);
  const usable = (m: SaslMechanismName): boolean => {
    if (m === 'PLAIN') return user !== undefined && password !== undefined;
    // ANONYMOUS (carrying the user name, as proton does) and EXTERNAL stand in for PLAIN when there is no password
    if (m === 'ANONYMOUS') return explicit || password === undefined;
    return clientCertificate && (explicit || password === undefined);
  };
  const mechanisms = (explicit ? listed : SUPPORTED_SASL_MECHANISMS).filter(usable);
  if (explicit && mechanisms.length === 0) {
    throw new InvalidOption(
      'saslMechanisms',
      target.options.saslMechanisms,
      'none of these mechanisms can be used here: PLAIN needs a user name and password in the URL, EXTERNAL needs TLS with a client certificate (sslCertFile)',
    );
  }
  return { mechanisms, username: user, password };
}

function hasClientCertificate(o: AmqpOptions): boolean {
  return Boolean(o.sslCertFile || o.tls?.cert || o.tls?.pfx);
}

/** Reads a PEM file named by option `option`; a file that cannot be read is an {@link InvalidOption}. */
function readPem(option: 'sslCaFile' | 'sslCertFile' | 'sslKeyFile', file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new InvalidOption(option, file, `cannot read the file (${(e as { code?: string }).code ?? String(e)})`);
  }
}

/** Node TLS settings that hold secrets: they go into the secure context only, never into rhea's options. */
const CONTEXT_SECRETS = ['key', 'passphrase', 'pfx', 'cert', 'ca'] as const;

/**
 * The TLS part of the connection options: one secure context holding the CA, the client
 * certificate and its (decrypted) key, made from the oslo options over the `tls`
 * pass-through; verification on, against the host name (or, with `sslVerifyVhost`,
 * the virtual host, as oslo does).
 */
function tlsOptions(target: ConnectionTarget): Record<string, unknown> {
  const o = target.options;
  const given: Record<string, unknown> = { ...(o.tls ?? {}) };
  const keyFile = o.sslKeyFile || o.sslCertFile;
  const fromFiles = {
    ...(o.sslCaFile ? { ca: readPem('sslCaFile', o.sslCaFile) } : {}),
    ...(o.sslCertFile ? { cert: readPem('sslCertFile', o.sslCertFile) } : {}),
    // like oslo, the key may sit in the certificate file
    ...(keyFile ? { key: readPem(o.sslKeyFile ? 'sslKeyFile' : 'sslCertFile', keyFile) } : {}),
    ...(o.sslKeyPassword !== undefined ? { passphrase: o.sslKeyPassword } : {}),
  };
  let secureContext: SecureContext;
  try {
    secureContext = createSecureContext({ ...given, ...fromFiles } as SecureContextOptions);
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    const option = /DECRYPT|PASSWORD|PASSPHRASE/i.test(code) ? 'sslKeyPassword' : keyFile ? 'sslKeyFile' : 'tls';
    const value = option === 'sslKeyFile' ? keyFile : undefined;
    throw new InvalidOption(option, value, `cannot load the TLS credentials: ${(e as Error).message ?? String(e)}`, option !== 'sslKeyFile');
  }
  // oslo: the host name, or with ssl_verify_vhost the virtual host (no name check when there is none)
  const peerName = o.sslVerifyVhost ? target.virtualHost || undefined : target.host.hostname;
  const connectOnly = Object.fromEntries(Object.entries(given).filter(([k]) => !(CONTEXT_SECRETS as readonly string[]).includes(k)));
  return {
    transport: 'tls',
    ...connectOnly,
    secureContext,
    // no SNI for an IP address (RFC 6066); rhea would otherwise send the host
    servername: given.servername ?? (peerName !== undefined && isIP(peerName) === 0 ? peerName : ''),
    checkServerIdentity:
      given.checkServerIdentity ?? ((_host: string, cert: PeerCertificate) => (peerName === undefined ? undefined : checkServerIdentity(peerName, cert))),
    rejectUnauthorized: given.rejectUnauthorized ?? true,
  };
}

/**
 * Watches the TLS socket of an attempt, to tell a server that drops a client without a
 * certificate after asking for one (Qpid Proton does so without a TLS alert, and with
 * TLS 1.3 any server does so after the client's handshake is done) from a connection
 * that merely dropped.
 */
class TlsWatch {
  private certificateMissing = false;

  /** rhea's `connect` option: opens the TLS socket and watches it. */
  readonly connect = (port: number, host: string, options: TlsConnectOptions, callback: () => void): TLSSocket => {
    const socket = tlsConnect(port, host, options, callback);
    socket.once('secureConnect', () => {
      try {
        // a server's CertificateRequest is what gives a client shared signature algorithms;
        // without a certificate of its own, getCertificate() is {}
        this.certificateMissing = socket.getSharedSigalgs().length > 0 && Object.keys(socket.getCertificate() ?? {}).length === 0;
      } catch {
        // the socket is already gone
      }
    });
    return socket;
  };

  /**
   * True when the server asked for a client certificate and none was sent (asked when the
   * attempt has failed before Open: the server dropped it). A server that asks for a
   * certificate only optionally and drops the attempt for another reason is taken for one
   * that requires it.
   */
  refusedWithoutClientCertificate(): boolean {
    return this.certificateMissing;
  }
}

/** One connection attempt: rhea-promise's options, and what the attempt learnt, for its failure. */
export interface ConnectionAttempt {
  /** rhea-promise options for the attempt (holding no password: PLAIN keeps it in a closure). */
  readonly options: ConnectionOptions;
  /** What is known about the attempt once it failed before Open (see `translateConnectionError`). */
  opening(): OpeningFailure;
}

/**
 * rhea-promise options for one connection attempt, and a record of its SASL exchange.
 * Reconnect is off: oslo-rx reconnects with its own `retry` operator so it can walk the
 * URL's hosts. Reads the TLS files anew on each attempt (so renewed certificates are used).
 *
 * @throws InvalidOption when a TLS file cannot be read or loaded, or `saslMechanisms` cannot be used
 */
export function connectionAttempt(target: ConnectionTarget): ConnectionAttempt {
  const { host, options } = target;
  const credentials = saslCredentials(target);
  const mechanisms = credentials ? clientMechanisms(credentials) : undefined;
  const tls = wantsTls(target);
  const watch = tls ? new TlsWatch() : undefined;
  const rhea = {
    host: host.hostname,
    port: host.port,
    transport: 'tcp',
    ...(tls ? tlsOptions(target) : {}),
    connect: (port: number, host: string, tlsConnectOptions: TlsConnectOptions, connected: () => void) =>
      coalesceWrites(watch ? watch.connect(port, host, tlsConnectOptions, connected) : netConnect(port, host, connected)),
    reconnect: false,
    container_id: options.containerName ?? defaultContainerId(),
    channel_max: 0x7fff,
    // oslo (proton) sets TCP_NODELAY; without it rhea adds Nagle's delay to every round trip
    tcp_no_delay: true,
    // proton advertises half of oslo's idle_timeout; keep the same wire value
    idle_time_out: options.idleTimeoutMs > 0 ? Math.floor(options.idleTimeoutMs / 2) : undefined,
    // with pseudo_vhost off the vhost goes in the Open hostname instead of the addresses
    hostname: !options.pseudoVhost && target.virtualHost ? target.virtualHost : undefined,
    properties: { process: basename(process.argv[1] ?? process.argv0), pid: process.pid, node: nodeName() },
    ...(mechanisms ? { sasl_mechanisms: mechanisms.table } : {}),
    operationTimeoutInSeconds: Math.max(1, Math.ceil(options.defaultSendTimeoutMs / 1000)),
    // We handle disconnection ourselves; every close of the peer ends the connection.
    non_fatal_errors: [],
  } as ConnectionOptions;
  return {
    options: rhea,
    opening: () => ({
      ...(mechanisms ? { sasl: mechanisms.progress() } : {}),
      ...(watch?.refusedWithoutClientCertificate() ? { clientCertificateMissing: true } : {}),
    }),
  };
}

/** rhea-promise options for one connection attempt (see {@link connectionAttempt}). */
export function connectionOptions(target: ConnectionTarget): ConnectionOptions {
  return connectionAttempt(target).options;
}
