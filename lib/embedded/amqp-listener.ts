/**
 * The listening half of the embedded intermediary: a TCP server whose accepted
 * sockets become {@link IntermediaryConnection}s (SASL, Open, link attaches, bad
 * input turned into AMQP errors) serving one {@link Personality}. The embedded
 * intermediary and a listening messenger both run on it.
 * @module
 */
import { type Server, createServer } from 'node:net';
import { create_container } from 'rhea';
import type { AddressPatterns } from './address-patterns';
import { type IntermediaryContext, IntermediaryConnection } from './intermediary-connection';
import type { IntermediaryLogger, ResolvedIntermediaryOptions } from './intermediary-options';
import type { StatsCounters } from './intermediary-stats';
import type { Personality } from './personality';
import { configureSasl } from './sasl';

/** What {@link startAmqpListener} serves, and how. */
export interface AmqpListenerSettings {
  /** Host, port, users (SASL), frame and message limits, credit window. */
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
  /** `amqp://host:port` (IPv6 hosts in brackets). */
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
  configureSasl(container, options.users, (user) => {
    stats.authFailures++;
    log(`authentication failed for user "${user}"`);
  });
  const ctx: IntermediaryContext = { container, personality, patterns, options, stats, openProperties, log };
  const connections = new Set<IntermediaryConnection>();
  let counter = 0;
  const server = createServer((socket) => {
    socket.on('error', (e) => log(`socket error: ${e.message}`));
    connections.add(new IntermediaryConnection(`c${++counter}`, socket, ctx, (c) => connections.delete(c)));
  });
  const port = await listen(server, options.host, options.port);
  server.on('error', (e) => log(`listener error: ${e.message}`));
  const host = options.host;
  const url = `amqp://${host.includes(':') ? `[${host}]` : host}:${port}`;
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
