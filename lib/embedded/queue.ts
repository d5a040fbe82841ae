/**
 * A broker queue: store and forward, one consumer per message, redelivery.
 * @module
 */
import type { Consumer, EncodedMessage } from './consumer';
import { incrementDeliveryCount } from './delivery-count';
import { Fifo } from './fifo';
import type { StatsCounters } from './intermediary-stats';
import type { ConsumerResult } from './outcome';

/** A message held by a queue. */
export interface StoredMessage extends EncodedMessage {
  /** The encoded message (its header's delivery-count is rewritten on redelivery). */
  bytes: Buffer;
  /** When its header ttl runs out (epoch ms), if it has one. */
  readonly expiresAt: number | undefined;
}

interface Entry extends StoredMessage {
  /** Arrival order in this queue; redelivered messages go back in this order. */
  readonly seq: number;
}

/** What a queue does when it reaches its bound. */
export type QueueOverflow =
  /** Keep everything; report `full` so producers get no more credit until it drains to half. */
  | 'block'
  /** Drop the oldest message (topic subscriptions: a slow subscriber must not stop the publisher). */
  | 'ring';

/** Settings of a {@link Queue}. */
export interface QueueSettings {
  /** The bound. */
  readonly maxDepth: number;
  /** What happens at the bound. */
  readonly overflow: QueueOverflow;
  /** Raise delivery-count on `released` too (AMQP says not to). */
  readonly releasedIncrementsDeliveryCount: boolean;
  /** Shared counters. */
  readonly stats: StatsCounters;
  /** Called when a `block` queue that was full has drained to half its bound. */
  readonly drained?: (queue: Queue) => void;
}

/**
 * Messages wait here until a consumer has credit; each goes to one consumer, round
 * robin. Unsettled deliveries stay owned by the queue: accepted and rejected ones are
 * done; released, modified and lost ones go back ahead of every newer message, in
 * arrival order (modified with undeliverable-here is dropped). Expired messages (header ttl) are dropped instead
 * of delivered.
 */
export class Queue {
  private readonly messages = new Fifo<Entry>();
  private seq = 0;
  private readonly consumers: Consumer[] = [];
  private next = 0;
  private pumping = false;
  private deleted = false;
  private isFull = false;

  /**
   * @param address the queue's address
   * @param settings bound, overflow policy and counters
   */
  constructor(
    readonly address: string,
    private readonly settings: QueueSettings,
  ) {}

  /** Messages waiting (not counting those sent and unsettled). */
  get depth(): number {
    return this.messages.length;
  }

  /** Consumers attached. */
  get consumerCount(): number {
    return this.consumers.length;
  }

  /** True while a `block` queue is over its bound and has not drained to half of it. */
  get full(): boolean {
    return this.isFull;
  }

  /** Stores a message and delivers what it can. */
  enqueue(message: StoredMessage): void {
    const { stats, maxDepth, overflow } = this.settings;
    if (overflow === 'ring' && this.messages.length >= maxDepth) {
      this.messages.shift();
      stats.dropped++;
    }
    this.messages.push({ ...message, seq: this.seq++ });
    stats.stored++;
    if (overflow === 'block' && this.messages.length >= maxDepth) this.isFull = true;
    this.pump();
  }

  /** Adds a consumer and delivers what it can. */
  addConsumer(consumer: Consumer): void {
    this.consumers.push(consumer);
    this.pump();
  }

  /** Removes a consumer (its unsettled deliveries come back through their results). */
  removeConsumer(consumer: Consumer): void {
    const i = this.consumers.indexOf(consumer);
    if (i < 0) return;
    this.consumers.splice(i, 1);
    if (this.next > i) this.next--;
    if (this.next >= this.consumers.length) this.next = 0;
  }

  /** Sends waiting messages to consumers with credit, round robin, until either runs out. */
  pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      let idle = 0;
      while (this.messages.length > 0 && idle < this.consumers.length) {
        const consumer = this.consumers[this.next];
        this.next = (this.next + 1) % this.consumers.length;
        if (consumer.available() <= 0) {
          idle++;
          continue;
        }
        idle = 0;
        this.deliver(consumer, this.messages.shift()!);
      }
    } finally {
      this.pumping = false;
    }
    if (this.isFull && this.messages.length < this.settings.maxDepth / 2) {
      this.isFull = false;
      this.settings.drained?.(this);
    }
  }

  /** Deletes the queue: drops every waiting message; results arriving later are dropped too. */
  delete(): void {
    this.deleted = true;
    this.settings.stats.dropped += this.messages.drain().length;
  }

  private deliver(consumer: Consumer, message: Entry): void {
    const { stats } = this.settings;
    if (message.expiresAt !== undefined && message.expiresAt <= Date.now()) {
      stats.dropped++;
      return;
    }
    stats.delivered++;
    consumer.send(message, (result) => this.result(message, result));
  }

  private result(message: Entry, result: ConsumerResult): void {
    const { stats, releasedIncrementsDeliveryCount } = this.settings;
    let count: boolean;
    switch (result.type) {
      case 'accepted':
      case 'rejected':
        return;
      case 'released':
        count = releasedIncrementsDeliveryCount;
        break;
      case 'modified':
        if (result.undeliverableHere) {
          stats.dropped++;
          return;
        }
        count = result.deliveryFailed;
        break;
      case 'lost':
        count = true;
        break;
    }
    if (this.deleted) {
      stats.dropped++;
      return;
    }
    if (count && message.format === 0) message.bytes = incrementDeliveryCount(message.bytes);
    stats.released++;
    this.messages.putBack(message, (m, other) => m.seq < other.seq);
    this.pump();
  }
}
