/**
 * Starts the embedded AMQP 1.0 intermediary.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { AddressPatterns } from './address-patterns';
import { startAmqpListener } from './amqp-listener';
import { Broker } from './broker';
import {
  type EmbeddedIntermediaryOptions,
  type IntermediaryLogger,
  type IntermediaryMode,
  type ResolvedIntermediaryOptions,
  resolveIntermediaryOptions,
} from './intermediary-options';
import { type IntermediaryStats, StatsCounters } from './intermediary-stats';
import type { Personality } from './personality';
import { Router } from './router';

/** A running embedded intermediary. */
export interface EmbeddedIntermediary {
  /** Its transport URL, `amqp://host:port`, or `amqps://host:port` with TLS (no credentials). */
  readonly url: string;
  /** The host it listens on. */
  readonly host: string;
  /** The port it listens on (the one picked, when started with port 0). */
  readonly port: number;
  /** Its personality. */
  readonly mode: IntermediaryMode;
  /**
   * Closes every client connection (with `amqp:connection:forced`, so clients may
   * reconnect) and the listener; resolves once the port is free. Calling it again
   * returns the same promise.
   */
  stop(): Promise<void>;
  /** A snapshot of its counters. */
  stats(): IntermediaryStats;
}

/** Properties of the Open frame: only the router names a product (oslo's dynamic addressing keys on it). */
const OPEN_PROPERTIES: Readonly<Record<IntermediaryMode, Readonly<Record<string, string>>>> = {
  broker: { 'oslo-rx-intermediary': 'broker' },
  router: { product: 'qpid-dispatch-router', version: '1.19.0', 'oslo-rx-intermediary': 'router' },
};

/** How long a stopping intermediary waits for a client to answer its Close before dropping the socket. */
const STOP_GRACE_MS = 500;

function safeLogger(logger: IntermediaryLogger): IntermediaryLogger {
  return (line) => {
    try {
      logger(line);
    } catch {
      // a failing log sink must not break the intermediary
    }
  };
}

function createPersonality(options: ResolvedIntermediaryOptions, patterns: AddressPatterns, stats: StatsCounters, log: IntermediaryLogger): Personality {
  if (options.mode === 'broker') {
    const { maxQueueDepth, releasedIncrementsDeliveryCount } = options;
    return new Broker({ patterns, maxQueueDepth, releasedIncrementsDeliveryCount, stats, log });
  }
  const { holdMs, creditWindow, maxQueueDepth } = options;
  return new Router({ patterns, holdMs, creditWindow, maxBacklog: maxQueueDepth, stats, log });
}

/**
 * Starts an in-process AMQP 1.0 intermediary on rhea's connection machinery, as a
 * store-and-forward broker or as a direct router, for tests, demos and the CLI.
 *
 * It offers SASL ANONYMOUS and PLAIN (or PLAIN only, with `users`; EXTERNAL too with
 * client certificates; see `saslMechanisms`), TLS (`tls`), anonymous
 * relay, dynamic sources (temporary reply addresses), credit windows both ways,
 * and forwards every message byte for byte (only a redelivered message's header
 * delivery-count changes). Python oslo.messaging's AMQP 1.0 driver can use it.
 *
 * ## Example
 * ```ts
 * const broker = await startEmbeddedIntermediary({ mode: 'broker' });
 * const transport = createTransport(broker.url);
 * // ...
 * await transport.close();
 * await broker.stop();
 * ```
 * @param options see `EmbeddedIntermediaryOptions`
 * @returns the running intermediary, once it listens
 */
export async function startEmbeddedIntermediary(options: EmbeddedIntermediaryOptions = {}): Promise<EmbeddedIntermediary> {
  const resolved = resolveIntermediaryOptions(options);
  const log = safeLogger(resolved.logger);
  const stats = new StatsCounters();
  const patterns = new AddressPatterns(resolved);
  const personality = createPersonality(resolved, patterns, stats, log);
  const listener = await startAmqpListener({
    options: resolved,
    personality,
    patterns,
    openProperties: OPEN_PROPERTIES[resolved.mode],
    containerId: `oslo-rx-intermediary-${resolved.mode}-${randomUUID()}`,
    stats,
    log,
  });
  const { host, port, url } = listener;
  log(`${resolved.mode} listening on ${url}`);

  let stopping: Promise<void> | undefined;
  return {
    url,
    host,
    port,
    mode: resolved.mode,
    stats: () => stats.snapshot(listener.connectionCount(), personality.depth()),
    stop: () => {
      stopping ??= listener.stop(STOP_GRACE_MS).then(() => log(`${resolved.mode} on ${url} stopped`));
      return stopping;
    },
  };
}
