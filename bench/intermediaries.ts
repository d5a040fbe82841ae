/**
 * The intermediaries the benchmark runs through, each in its own process: its own Qpid Proton
 * C++ broker, the embedded intermediary (a worker child), and the shared RabbitMQ 3.10 when
 * `OSLO_RX_RABBITMQ_URL` is set.
 */
import { existsSync } from 'node:fs';
import { redactTransportUrl } from '../lib';
import { protonBrokerBin, startProtonBroker } from '../spec/support/peers';
import { BenchChild } from './bench-child';

/** One intermediary as the benchmark sees it. */
export interface BenchIntermediary {
  /** Short name used in the results: `proton`, `embedded`, `rabbitmq`. */
  readonly name: string;
  /** What it is, for the report. */
  readonly description: string;
  /** Its URL (may carry credentials: never print it unredacted). */
  readonly url: string;
  /** Whether the Python contender can use it (it needs dynamic reply sources). */
  readonly python: boolean;
  /** The oslo-rx addressing preset it needs. */
  readonly preset?: 'rabbitmq3';
  /** Whether the raw contender needs a named reply queue (no dynamic reply sources). */
  readonly namedReplies: boolean;
  /** Stops it, if the benchmark started it. */
  stop(): Promise<void>;
}

/**
 * An intermediary of the user's (`--url`): RabbitMQ's settings when it is the one at
 * `OSLO_RX_RABBITMQ_URL`, else dynamic reply nodes and the Python contender.
 */
export function userIntermediary(url: string): BenchIntermediary {
  const rabbitmq = url === process.env.OSLO_RX_RABBITMQ_URL;
  return {
    name: 'url',
    description: redactTransportUrl(url),
    url,
    python: !rabbitmq,
    preset: rabbitmq ? 'rabbitmq3' : undefined,
    namedReplies: rabbitmq,
    stop: async () => undefined,
  };
}

/** Which intermediaries can run, in order; a missing one is named in `skipped`. */
export function availableIntermediaries(names: readonly string[]): { names: string[]; skipped: string[] } {
  const skipped: string[] = [];
  const ok = names.filter((name) => {
    if (name === 'proton' && !existsSync(protonBrokerBin())) skipped.push(`proton (no broker binary at ${protonBrokerBin()})`);
    else if (name === 'rabbitmq' && !process.env.OSLO_RX_RABBITMQ_URL) skipped.push('rabbitmq (OSLO_RX_RABBITMQ_URL not set)');
    else return true;
    return false;
  });
  return { names: ok, skipped };
}

/** Starts (or, for RabbitMQ, attaches to) intermediary `name`; `port` for the ones it starts. */
export async function startIntermediary(name: string, port: number): Promise<BenchIntermediary> {
  if (name === 'proton') {
    const broker = await startProtonBroker(port);
    return { name, description: 'Qpid Proton C++ example broker', url: broker.url, python: true, namedReplies: false, stop: () => broker.stop() };
  }
  if (name === 'embedded') {
    const child = await BenchChild.node('embedded intermediary', 'embedded', { port });
    return { name, description: 'oslo-rx embedded intermediary (broker)', url: String(child.facts.url), python: true, namedReplies: false, stop: () => child.stop() };
  }
  if (name === 'rabbitmq') {
    return {
      name,
      description: 'RabbitMQ 3.10 (amqp1_0 plugin, shared)',
      url: process.env.OSLO_RX_RABBITMQ_URL!,
      python: false,
      preset: 'rabbitmq3',
      namedReplies: true,
      stop: async () => undefined,
    };
  }
  throw new Error(`unknown intermediary ${name}`);
}
