/**
 * Builds rhea connection options for one host of a transport URL, the way
 * oslo.messaging's AMQP 1.0 driver opens its connections (WIRE.md §2).
 * @module
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { hostname as nodeName } from 'node:os';
import { randomUUID } from 'node:crypto';
import { sasl } from 'rhea';
import type { ConnectionOptions } from 'rhea-promise';
import type { AmqpOptions, TransportHost } from '../config';

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

/** True when the options or the URL ask for TLS (oslo: `ssl`, `ssl_ca_file` or `ssl_cert_file`). */
export function wantsTls(target: ConnectionTarget): boolean {
  const o = target.options;
  return Boolean(target.tls || o.ssl || o.sslCaFile || o.sslCertFile);
}

function saslMechanisms(target: ConnectionTarget): object | undefined {
  const { username, password } = target.host;
  const allowed = target.options.saslMechanisms
    .split(/\s+/)
    .filter(Boolean)
    .map((m: string) => m.toUpperCase());
  // Like oslo (pyngus), SASL is used only when there is a username or a mechanism is configured.
  if (username === undefined && allowed.length === 0) return undefined;
  const realm = target.options.saslDefaultRealm;
  const user = username !== undefined && realm && !username.includes('@') ? `${username}@${realm}` : username;
  const mechs = (sasl as unknown as { client_mechanisms(): object }).client_mechanisms() as {
    enable_plain(u: string, p: string): void;
    enable_anonymous(name?: string): void;
    enable_external(): void;
  } & Record<string, unknown>;
  const permits = (m: string) => allowed.length === 0 || allowed.includes(m);
  if (user !== undefined && password !== undefined && permits('PLAIN')) mechs.enable_plain(user, password);
  // Without a password, or when explicitly allowed, fall back to ANONYMOUS carrying the user name (as proton does).
  if ((password === undefined && permits('ANONYMOUS')) || (allowed.includes('ANONYMOUS') && password !== undefined)) {
    mechs.enable_anonymous(user ?? 'anonymous');
  }
  if (allowed.includes('EXTERNAL')) mechs.enable_external();
  return mechs;
}

function tlsOptions(target: ConnectionTarget): Record<string, unknown> {
  const o = target.options;
  const read = (file: string) => (file ? readFileSync(file) : undefined);
  const servername = o.sslVerifyVhost && target.virtualHost ? target.virtualHost : target.host.hostname;
  return {
    transport: 'tls',
    ca: read(o.sslCaFile),
    cert: read(o.sslCertFile),
    key: read(o.sslKeyFile),
    passphrase: o.sslKeyPassword,
    servername,
    rejectUnauthorized: true,
  };
}

/**
 * rhea-promise options for one connection attempt. Reconnect is off: oslo-rx
 * reconnects with its own `retry` operator so it can walk the URL's hosts.
 */
export function connectionOptions(target: ConnectionTarget): ConnectionOptions {
  const { host, options } = target;
  const mechs = saslMechanisms(target);
  const tls = wantsTls(target);
  return {
    host: host.hostname,
    port: host.port,
    transport: 'tcp',
    ...(tls ? tlsOptions(target) : {}),
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
    ...(mechs ? { sasl_mechanisms: mechs, username: target.host.username ?? 'anonymous' } : {}),
    operationTimeoutInSeconds: Math.max(1, Math.ceil(options.defaultSendTimeoutMs / 1000)),
    // We handle disconnection ourselves; every close of the peer ends the connection.
    non_fatal_errors: [],
  } as ConnectionOptions;
}
