/**
 * Listening messengers and delivery logs for the messenger specs.
 */
import type { Subscription } from 'rxjs';
import type { IncomingDelivery, Listening, Messenger, MessengerSubscribeOptions } from '../../lib';
import { until } from '../embedded/intermediary-support';
import { within } from '../support/wait';

/** The deliveries of one subscription, in order, with a bounded wait for more. */
export class DeliveryLog {
  /** Every delivery so far. */
  readonly received: IncomingDelivery[] = [];
  /** The subscription's error, if it failed. */
  error: unknown;

  /** Records a delivery, then hands it to `handle` (to settle it or not). */
  record(handle: (d: IncomingDelivery) => void = () => undefined): (d: IncomingDelivery) => void {
    return (d) => {
      this.received.push(d);
      handle(d);
    };
  }

  /** Resolves with the first `n` deliveries once there are that many; fails after `ms`. */
  async count(n: number, what: string, ms = 10_000): Promise<IncomingDelivery[]> {
    await until(() => this.received.length >= n || this.error !== undefined, `${n} × ${what}`, ms);
    if (this.error !== undefined) throw this.error;
    return this.received.slice(0, n);
  }

  /** The bodies so far. */
  get bodies(): unknown[] {
    return this.received.map((d) => d.message.body);
  }
}

/** A listening subscription of a messenger. */
export interface ListeningPeer {
  /** Where it listens. */
  readonly listening: Listening;
  /** `amqp://127.0.0.1:<port>/<node>`: where to send to it. */
  address(node: string): string;
  /** What it received. */
  readonly log: DeliveryLog;
  /** Unsubscribing stops the listener. */
  readonly subscription: Subscription;
}

/**
 * Subscribes `messenger` to `url` (a `~` address; port 0 by default) and resolves once it
 * listens. `handle` sees each delivery after it is logged (settle there, or later).
 */
export async function listen(
  messenger: Messenger,
  handle?: (d: IncomingDelivery) => void,
  options: MessengerSubscribeOptions & { url?: string } = {},
): Promise<ListeningPeer> {
  const log = new DeliveryLog();
  let subscription!: Subscription;
  const listening = await within(
    new Promise<Listening>((resolve, reject) => {
      subscription = messenger.subscribe(options.url ?? 'amqp://~127.0.0.1:0', { ...options, onListening: resolve }).subscribe({
        next: log.record(handle),
        error: (e: unknown) => {
          log.error = e;
          reject(e);
        },
      });
    }),
    'the messenger to listen',
  );
  return { listening, address: (node) => `amqp://127.0.0.1:${listening.port}/${node}`, log, subscription };
}

/** Settles a delivery by its subject: `accept`, `release`, `modify`, `reject`, or `hold` (left unsettled); default accept. */
export function settleBySubject(d: IncomingDelivery): void {
  switch (d.message.subject) {
    case 'hold':
      return;
    case 'release':
      d.release();
      return;
    case 'modify':
      d.modify({ deliveryFailed: true, undeliverableHere: true });
      return;
    case 'reject':
      d.reject({ condition: 'app:unwanted', description: 'not wanted here' });
      return;
    default:
      d.accept();
  }
}
