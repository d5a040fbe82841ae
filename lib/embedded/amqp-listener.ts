/**
 * The listening half of the embedded intermediary: a TCP server whose accepted
 * sockets become {@link IntermediaryConnection}s (SASL, Open, link attaches, bad
 * input turned into AMQP errors) serving one {@link Personality}. The embedded
 * intermediary and a listening messenger both run on it.
 * @module
 */
import { type Server, type Socket, createServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { coalesceWrites } from '../amqp/coalesce-writes';
import { create_container } from 'rhea';
import type { AddressPatterns } from './address-patterns';
import { type IntermediaryContext, IntermediaryConnection } from './intermediary-connection';
import type { IntermediaryLogger, ResolvedIntermediaryOptions } from './intermediary-options';
import type { StatsCounters } from './intermediary-stats';
import type { Personality } from './personality';
import { serverMechanisms } from './sasl';

/** What {@link startAmqpListener} serves, and how. */
export interface AmqpListenerSettings {
  /** Host, port, TLS, users and SASL mechanisms, frame and message limits, credit window. */
  readonly options: ResolvedIntermediaryOptions;
  /** What happens to the links and messages of accepted connections. */
  readonly personality: Personality;
  /** Queue, topic and refuse patterns. */
  readonly patterns: AddressPatterns;
  /** Properties of the Open frame sent to every peer. */
  readonly openProperties: Readonly<Record<string, string>>;
  /** The container id sent in Open. */
  readonly containerId: string;
  /** Shared counters. */
  readonly stats: StatsCounters;
  /** Log sink; must not throw. */
  readonly log: IntermediaryLogger;
}

/** A running listener. */
export interface AmqpListener {
  /** The host it listens on. */
  readonly host: string;
  /** The port it listens on (the one picked, when asked for port 0). */
  readonly port: number;
  /** `amqp://host:port`, or `amqps://` with TLS (IPv6 hosts in brackets). */
  readonly url: string;
  /** Accepted connections open now. */
  connectionCount(): number;
  /**
   * Stops accepting, closes the personality, closes every accepted connection with
   * `amqp:connection:forced` (dropping sockets that do not answer within `graceMs`)
   * and resolves once the port is free. Calling it again returns the same promise.
   */
  stop(graceMs: number): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}

/**
 * Listens on `settings.options.host`/`port` and serves every accepted socket as an
 * AMQP 1.0 connection handed to `settings.personality`.
 * @returns the listener, once it listens; rejects when the port cannot be bound
 */
export async function startAmqpListener(settings: AmqpListenerSettings): Promise<AmqpListener> {
  const { options, personality, patterns, openProperties, stats, log } = settings;
  const container = create_container({ id: settings.containerId });
  container.on('error', (e: unknown) => log(`unhandled rhea error: ${e instanceof Error ? e.message : String(e)}`));
  // each socket gets its own SASL mechanisms: EXTERNAL depends on its client certificate
  const saslMechanisms = (socket: Socket) =>
    serverMechanisms({ mechanisms: options.saslMechanisms, users: options.users }, socket, (what) => {
      stats.authFailures++;
      log(`authentication failed: ${what}`);
    });
  const ctx: IntermediaryContext = { container, personality, patterns, options, stats, openProperties, log, saslMechanisms };
  const connections = new Set<IntermediaryConnection>();
  let counter = 0;
  const serve = (socket: Socket) => {
    socket.on('error', (e) => log(`socket error: ${e.message}`));
    connections.add(new IntermediaryConnection(`c${++counter}`, coalesceWrites(socket), ctx, (c) => connections.delete(c)));
  };
  const tls = options.tls;
  const server: Server = tls
    ? createTlsServer(
        {
          cert: tls.cert,
          key: tls.key,
          passphrase: tls.passphrase,
          ...(tls.ca ? { ca: tls.ca, requestCert: true, rejectUnauthorized: tls.requireClientCert ?? true } : {}),
        },
        serve,
      ).on('tlsClientError', (e) => log(`TLS handshake failed: ${e.message}`))
    : createServer(serve);
  const port = await listen(server, options.host, options.port);
  server.on('error', (e) => log(`listener error: ${e.message}`));
  const host = options.host;
  const url = `${tls ? 'amqps' : 'amqp'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let stopping: Promise<void> | undefined;
  return {
    host,
    port,
    url,
    connectionCount: () => connections.size,
    stop: (graceMs) => {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        personality.close();
        await Promise.all([...connections].map((c) => c.shutdown(graceMs)));
        await closed;
      })();
      return stopping;
    },
  };
}
