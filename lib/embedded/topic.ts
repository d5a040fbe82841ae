/**
 * A broker topic: a copy of each message to every subscriber.
 * @module
 */
import type { Consumer } from './consumer';
import { Queue, type QueueSettings, type StoredMessage } from './queue';

/**
 * Each subscriber (consumer link) gets its own queue for as long as it is attached,
 * so a copy it releases comes back to it, and a slow subscriber holds only its own
 * copies (bounded by the queue settings). Messages published while nobody is
 * subscribed are dropped.
 */
export class Topic {
  private readonly subscriptions = new Map<Consumer, Queue>();

  /**
   * @param address the topic's address
   * @param settings settings of each subscription queue (normally `ring` overflow)
   */
  constructor(
    readonly address: string,
    private readonly settings: QueueSettings,
  ) {}

  /** Messages waiting in all subscription queues. */
  get depth(): number {
    let n = 0;
    for (const q of this.subscriptions.values()) n += q.depth;
    return n;
  }

  /** Attaches `consumer` with a new subscription queue and returns that queue. */
  subscribe(consumer: Consumer): Queue {
    const queue = new Queue(`${this.address}#${consumer.id}`, this.settings);
    this.subscriptions.set(consumer, queue);
    queue.addConsumer(consumer);
    return queue;
  }

  /** Detaches `consumer` and deletes its subscription queue. */
  unsubscribe(consumer: Consumer): void {
    const queue = this.subscriptions.get(consumer);
    if (queue === undefined) return;
    this.subscriptions.delete(consumer);
    queue.removeConsumer(consumer);
    queue.delete();
  }

  /** Puts a copy of `message` in every subscription queue. */
  publish(message: StoredMessage): void {
    if (this.subscriptions.size === 0) {
      this.settings.stats.dropped++;
      return;
    }
    for (const queue of this.subscriptions.values()) queue.enqueue({ ...message });
  }
}
