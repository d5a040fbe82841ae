/**
 * The broker personality: store and forward, like qpidd with oslo's recommended
 * queue and topic patterns.
 * @module
 */
import type { AmqpError } from 'rhea';
import type { AddressPatterns } from './address-patterns';
import { AMQP_CONDITIONS } from './amqp-conditions';
import type { Consumer } from './consumer';
import { isDynamicAddress } from './dynamic-address';
import type { IntermediaryLogger } from './intermediary-options';
import type { StatsCounters } from './intermediary-stats';
import { acceptedOutcome, rejectedOutcome } from './outcome';
import type { LinkRole, Personality } from './personality';
import type { IncomingTransfer, Producer } from './producer';
import { Queue, type QueueSettings, type StoredMessage } from './queue';
import { Topic } from './topic';

/** Settings of a {@link Broker}. */
export interface BrokerSettings {
  /** Which addresses are topics. */
  readonly patterns: AddressPatterns;
  /** Bound of each queue (see {@link QueueOverflow}). */
  readonly maxQueueDepth: number;
  /** Raise delivery-count on `released` too. */
  readonly releasedIncrementsDeliveryCount: boolean;
  /** Shared counters. */
  readonly stats: StatsCounters;
  /** Log sink. */
  readonly log: IntermediaryLogger;
}

/**
 * Addresses matching a topic pattern are {@link Topic}s; every other address is a
 * {@link Queue} made on first use and kept. Temporary queues of dynamic sources are
 * deleted with their consumer, and links or messages to a deleted one are refused
 * with `amqp:not-found`. Every incoming message is settled `accepted` once stored.
 * Producers sending to a full queue get no more credit until it drains to half.
 */
export class Broker implements Personality {
  /** Always `broker`. */
  readonly mode = 'broker' as const;
  private readonly queues = new Map<string, Queue>();
  private readonly topics = new Map<string, Topic>();
  private readonly consumerQueues = new Map<Consumer, Queue>();
  private readonly dynamic = new Set<string>();
  private readonly producers = new Map<string, Set<Producer>>();
  private readonly queueSettings: QueueSettings;
  private readonly topicSettings: QueueSettings;

  /** @param settings patterns, bounds and counters */
  constructor(private readonly settings: BrokerSettings) {
    const { maxQueueDepth, releasedIncrementsDeliveryCount, stats } = settings;
    this.queueSettings = { maxDepth: maxQueueDepth, overflow: 'block', releasedIncrementsDeliveryCount, stats, drained: (q) => this.drained(q) };
    this.topicSettings = { maxDepth: maxQueueDepth, overflow: 'ring', releasedIncrementsDeliveryCount, stats };
  }

  /** Links and messages to temporary addresses that do not exist are refused. */
  refusal(address: string, role: LinkRole): AmqpError | undefined {
    if (isDynamicAddress(address) && !this.dynamic.has(address)) {
      return { condition: AMQP_CONDITIONS.notFound, description: `no temporary node "${address}" (a ${role} cannot create one)` };
    }
    return undefined;
  }

  /** Creates the temporary queue. */
  declareDynamic(address: string): void {
    this.dynamic.add(address);
    this.queue(address);
  }

  /** Attaches the consumer to its queue, or subscribes it to its topic. */
  addConsumer(consumer: Consumer): void {
    if (this.isTopic(consumer.address)) {
      this.consumerQueues.set(consumer, this.topic(consumer.address).subscribe(consumer));
      return;
    }
    const queue = this.queue(consumer.address);
    this.consumerQueues.set(consumer, queue);
    queue.addConsumer(consumer);
  }

  /** Delivers what the consumer's queue holds. */
  consumerCredit(consumer: Consumer): void {
    this.consumerQueues.get(consumer)?.pump();
  }

  /** Detaches the consumer; deletes its subscription or temporary queue. */
  removeConsumer(consumer: Consumer): void {
    const queue = this.consumerQueues.get(consumer);
    if (queue === undefined) return;
    this.consumerQueues.delete(consumer);
    if (this.isTopic(consumer.address)) {
      this.topics.get(consumer.address)?.unsubscribe(consumer);
      return;
    }
    queue.removeConsumer(consumer);
    if (this.dynamic.has(queue.address) && queue.consumerCount === 0) {
      this.settings.log(`${consumer.id} temporary queue ${queue.address} deleted (${queue.depth} messages dropped)`);
      this.dynamic.delete(queue.address);
      this.queues.delete(queue.address);
      queue.delete();
    }
  }

  /** Remembers producers by address, to refill them when their queue drains. */
  addProducer(producer: Producer): void {
    if (producer.address === undefined) return;
    const set = this.producers.get(producer.address) ?? new Set<Producer>();
    set.add(producer);
    this.producers.set(producer.address, set);
  }

  /** No limit, except none at all while the producer's queue is full. */
  allowance(producer: Producer): number {
    const queue = producer.address === undefined ? undefined : this.queues.get(producer.address);
    return queue?.full ? 0 : Infinity;
  }

  /** Forgets the producer. */
  removeProducer(producer: Producer): void {
    if (producer.address === undefined) return;
    const set = this.producers.get(producer.address);
    set?.delete(producer);
    if (set?.size === 0) this.producers.delete(producer.address);
  }

  /** Stores the message in its queue or topic, then accepts it. */
  route(transfer: IncomingTransfer): void {
    const { address } = transfer;
    const refusal = this.refusal(address, 'producer');
    if (refusal !== undefined) {
      if (transfer.presettled) this.settings.stats.dropped++;
      else this.settings.stats.rejected++;
      transfer.settle(rejectedOutcome(refusal.condition!, refusal.description!));
      return;
    }
    const ttl = transfer.message.ttl;
    const message: StoredMessage = { bytes: transfer.bytes, format: transfer.format, expiresAt: typeof ttl === 'number' && ttl > 0 ? Date.now() + ttl : undefined };
    if (this.isTopic(address)) {
      const topic = this.topics.get(address);
      if (topic) topic.publish(message);
      else this.settings.stats.dropped++;
    } else {
      this.queue(address).enqueue(message);
    }
    transfer.settle(acceptedOutcome());
  }

  /** Messages in all queues and subscriptions. */
  depth(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.depth;
    for (const t of this.topics.values()) n += t.depth;
    return n;
  }

  /** Nothing to stop: the broker has no timers. */
  close(): void {}

  private isTopic(address: string): boolean {
    return !this.dynamic.has(address) && this.settings.patterns.kindOf(address) === 'topic';
  }

  private queue(address: string): Queue {
    let queue = this.queues.get(address);
    if (queue === undefined) {
      queue = new Queue(address, this.queueSettings);
      this.queues.set(address, queue);
    }
    return queue;
  }

  private topic(address: string): Topic {
    let topic = this.topics.get(address);
    if (topic === undefined) {
      topic = new Topic(address, this.topicSettings);
      this.topics.set(address, topic);
    }
    return topic;
  }

  private drained(queue: Queue): void {
    for (const producer of this.producers.get(queue.address) ?? []) producer.refill();
  }
}
