/**
 * The router personality: direct routing with end-to-end acknowledgement, like
 * qpid-dispatch-router.
 * @module
 */
import type { AddressPatterns } from './address-patterns';
import type { Consumer, EncodedMessage } from './consumer';
import { Fifo } from './fifo';
import type { IntermediaryLogger } from './intermediary-options';
import type { StatsCounters } from './intermediary-stats';
import { type ConsumerResult, type Outcome, acceptedOutcome, modifiedOutcome, releasedOutcome } from './outcome';
import type { Personality } from './personality';
import type { IncomingTransfer, Producer } from './producer';

/** Settings of a {@link Router}. */
export interface RouterSettings {
  /** Which addresses are multicast (topic patterns); the rest are anycast. */
  readonly patterns: AddressPatterns;
  /** How long a message waits for a consumer with credit, in ms. */
  readonly holdMs: number;
  /** Most messages a producer may have held or unsettled at once (its credit window). */
  readonly creditWindow: number;
  /** Most multicast copies waiting for one consumer's credit; the oldest is dropped beyond it. */
  readonly maxBacklog: number;
  /** Shared counters. */
  readonly stats: StatsCounters;
  /** Log sink. */
  readonly log: IntermediaryLogger;
}

interface Held {
  readonly transfer: IncomingTransfer;
  readonly timer: NodeJS.Timeout;
  done: boolean;
}

/**
 * Stores nothing for long. An anycast message goes to one consumer with credit
 * (round robin); if it was sent unsettled it stays unsettled until that consumer
 * settles, and the sender then gets the consumer's outcome (a consumer lost first
 * gives `modified` with delivery-failed). A multicast message is copied to every
 * consumer of its address (pre-settled, as routers do) and accepted. A message with
 * nowhere to go waits up to `holdMs`, then is released to its sender (or dropped if
 * pre-settled). A producer's credit is limited by its held and unsettled messages.
 */
export class Router implements Personality {
  /** Always `router`. */
  readonly mode = 'router' as const;
  private readonly consumers = new Map<string, Consumer[]>();
  private readonly nextIndex = new Map<string, number>();
  private readonly held = new Map<string, Fifo<Held>>();
  private readonly backlogs = new Map<Consumer, Fifo<EncodedMessage>>();
  private heldCount = 0;

  /** @param settings patterns, hold time, bounds and counters */
  constructor(private readonly settings: RouterSettings) {}

  /** A router refuses no address of its own accord. */
  refusal(): undefined {
    return undefined;
  }

  /** Temporary addresses need no node on a router: their consumer is their route. */
  declareDynamic(): void {}

  /** Adds the consumer to its address and sends it what waits there. */
  addConsumer(consumer: Consumer): void {
    const list = this.consumers.get(consumer.address) ?? [];
    list.push(consumer);
    this.consumers.set(consumer.address, list);
    if (this.isMulticast(consumer.address)) this.backlogs.set(consumer, new Fifo());
    this.flush(consumer.address);
  }

  /** Sends the consumer its multicast backlog, then what waits for its address. */
  consumerCredit(consumer: Consumer): void {
    this.sendBacklog(consumer);
    this.flush(consumer.address);
  }

  /** Removes the consumer; its unsent multicast copies are dropped. */
  removeConsumer(consumer: Consumer): void {
    const list = this.consumers.get(consumer.address);
    const i = list?.indexOf(consumer) ?? -1;
    if (list !== undefined && i >= 0) {
      list.splice(i, 1);
      if (list.length === 0) {
        this.consumers.delete(consumer.address);
        this.nextIndex.delete(consumer.address);
      }
    }
    const backlog = this.backlogs.get(consumer);
    if (backlog !== undefined) {
      this.settings.stats.dropped += backlog.length;
      this.backlogs.delete(consumer);
    }
  }

  /** Nothing to remember. */
  addProducer(): void {}

  /** The credit window less the producer's held and unsettled messages. */
  allowance(producer: Producer): number {
    return Math.max(0, this.settings.creditWindow - producer.pending);
  }

  /** Nothing to forget: its held messages still go out or time out. */
  removeProducer(): void {}

  /** Forwards the message now, or holds it (behind any message already waiting for the same address). */
  route(transfer: IncomingTransfer): void {
    const waiting = this.held.get(transfer.address);
    if (waiting !== undefined && waiting.length > 0) {
      this.hold(transfer);
      this.flush(transfer.address);
    } else if (!this.forward(transfer)) {
      this.hold(transfer);
    }
  }

  /** Messages held now, with multicast copies waiting for credit. */
  depth(): number {
    let n = this.heldCount;
    for (const backlog of this.backlogs.values()) n += backlog.length;
    return n;
  }

  /** Releases every held message and stops their timers. */
  close(): void {
    for (const fifo of this.held.values()) {
      for (const h of fifo.drain()) {
        clearTimeout(h.timer);
        if (!h.done) this.giveUp(h);
      }
    }
    this.held.clear();
  }

  private isMulticast(address: string): boolean {
    return this.settings.patterns.kindOf(address) === 'topic';
  }

  /** Sends `transfer` on if some consumer can take it now. */
  private forward(transfer: IncomingTransfer): boolean {
    if (this.isMulticast(transfer.address)) {
      const list = this.consumers.get(transfer.address);
      if (list === undefined || list.length === 0) return false;
      for (const consumer of list) this.copy(consumer, transfer);
      transfer.settle(acceptedOutcome());
      return true;
    }
    const consumer = this.pick(transfer.address);
    if (consumer === undefined) return false;
    this.settings.stats.delivered++;
    if (transfer.presettled) {
      consumer.send(transfer);
      transfer.settle(acceptedOutcome());
    } else {
      consumer.send(transfer, (result) => transfer.settle(this.toSender(result)));
    }
    return true;
  }

  /** The outcome the sender gets for what the consumer did. */
  private toSender(result: ConsumerResult): Outcome {
    const outcome = result.type === 'lost' ? modifiedOutcome(true, false) : result;
    if (outcome.type === 'released' || outcome.type === 'modified') this.settings.stats.released++;
    return outcome;
  }

  /** The next consumer of `address` with credit, round robin. */
  private pick(address: string): Consumer | undefined {
    const list = this.consumers.get(address);
    if (list === undefined) return undefined;
    const start = this.nextIndex.get(address) ?? 0;
    for (let n = 0; n < list.length; n++) {
      const i = (start + n) % list.length;
      if (list[i].available() > 0) {
        this.nextIndex.set(address, (i + 1) % list.length);
        return list[i];
      }
    }
    return undefined;
  }

  private copy(consumer: Consumer, message: EncodedMessage): void {
    const backlog = this.backlogs.get(consumer);
    if (backlog === undefined) return;
    if (backlog.length >= this.settings.maxBacklog) {
      backlog.shift();
      this.settings.stats.dropped++;
    }
    backlog.push({ bytes: message.bytes, format: message.format });
    this.sendBacklog(consumer);
  }

  private sendBacklog(consumer: Consumer): void {
    const backlog = this.backlogs.get(consumer);
    while (backlog !== undefined && backlog.length > 0 && consumer.available() > 0) {
      this.settings.stats.delivered++;
      consumer.send(backlog.shift()!);
    }
  }

  private hold(transfer: IncomingTransfer): void {
    const { holdMs, stats } = this.settings;
    let fifo = this.held.get(transfer.address);
    if (fifo === undefined) {
      fifo = new Fifo();
      this.held.set(transfer.address, fifo);
    }
    const entry: Held = { transfer, timer: setTimeout(() => this.expireSafely(entry), holdMs), done: false };
    fifo.push(entry);
    this.heldCount++;
    stats.stored++;
  }

  /** Forwards held messages of `address` in order while consumers can take them. */
  private flush(address: string): void {
    const fifo = this.held.get(address);
    if (fifo === undefined) return;
    for (let h = fifo.shift(); h !== undefined; h = fifo.shift()) {
      if (h.done) continue;
      if (!this.forward(h.transfer)) {
        fifo.unshift(h);
        return;
      }
      clearTimeout(h.timer);
      h.done = true;
      this.heldCount--;
    }
    this.held.delete(address);
  }

  private expireSafely(entry: Held): void {
    try {
      this.expire(entry);
    } catch (e) {
      this.settings.log(`router: releasing a held message to ${entry.transfer.address} failed: ${String(e)}`);
    }
  }

  private expire(entry: Held): void {
    if (entry.done) return;
    this.giveUp(entry);
    // Entries expire in arrival order, so the finished ones are at the front.
    const fifo = this.held.get(entry.transfer.address);
    while (fifo !== undefined && fifo.length > 0) {
      const front = fifo.shift()!;
      if (!front.done) {
        fifo.unshift(front);
        return;
      }
    }
    this.held.delete(entry.transfer.address);
  }

  private giveUp(entry: Held): void {
    entry.done = true;
    this.heldCount--;
    const { transfer } = entry;
    if (transfer.presettled) this.settings.stats.dropped++;
    else this.settings.stats.released++;
    transfer.settle(releasedOutcome());
  }
}
