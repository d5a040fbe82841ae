/**
 * A sender link with per-message settlement and outcomes as Promises.
 * @module
 */
import type { TransportCounters } from './metrics';
import type { Delivery, EventContext, Message, Sender } from 'rhea-promise';
import { SenderEvents } from 'rhea-promise';
import { message as rheaMessage } from 'rhea';
import { type DeliveryOutcome, outcomeFromRemoteState } from './delivery-outcome';
import { ConnectionLost, LinkRefused, MessageDeliveryFailure } from './errors';
import type { MessagingError } from '../errors';

/** Options of one send. */
export interface LinkSendOptions {
  /** Send pre-settled: done once written with credit, no outcome comes back. */
  readonly preSettled?: boolean;
  /** Refuse messages larger than this many encoded bytes (0 = no limit of ours). */
  readonly maxMessageSize?: number;
}

/** A send in progress: its outcome, and how to drop it while it is not written yet. */
export interface PendingSend {
  /** Resolves with the outcome (`settled` for a pre-settled send). */
  readonly outcome: Promise<DeliveryOutcome>;
  /** Drops the message if it has not been written yet. */
  readonly cancel: () => void;
}

interface Waiter {
  readonly message: Buffer;
  readonly preSettled: boolean;
  readonly resolve: (o: DeliveryOutcome) => void;
  readonly reject: (e: MessagingError) => void;
}

/**
 * Wraps a rhea-promise `Sender` opened in mixed settle mode. Sends wait for link
 * credit in FIFO order (a cancelled send that has not been written is dropped), and each
 * unsettled send resolves with the receiver's outcome. When the link or its connection
 * goes away every pending send rejects with a retryable error.
 */
export class SenderLink {
  private readonly waiting: Waiter[] = [];
  private readonly unsettled = new Map<Delivery, Waiter>();
  /** Pre-settled sends handed to rhea this tick: done once rhea has written them. */
  private readonly flushing: Waiter[] = [];
  private writtenThisTick = 0;
  private tickScheduled = false;
  private failure: MessagingError | undefined;
  private lastActive = Date.now();

  /**
   * @param sender the open rhea-promise sender
   * @param address the address it sends to (for errors)
   * @param counters the transport's metrics, which count each outcome
   */
  constructor(
    private readonly sender: Sender,
    readonly address: string,
    private readonly counters?: TransportCounters,
  ) {
    const outcome = (ctx: EventContext) => this.settled(ctx.delivery);
    sender.on(SenderEvents.accepted, outcome);
    sender.on(SenderEvents.rejected, outcome);
    sender.on(SenderEvents.released, outcome);
    sender.on(SenderEvents.modified, outcome);
    sender.on(SenderEvents.settled, outcome);
    sender.on(SenderEvents.sendable, () => this.pump());
    sender.on(SenderEvents.senderError, (ctx: EventContext) => {
      const e = ctx.sender?.error as { condition?: string; description?: string } | undefined;
      this.fail(new LinkRefused(address, e?.condition, e?.description));
    });
    sender.on(SenderEvents.senderClose, () => this.fail(new ConnectionLost(`sender link to "${address}" detached`)));
  }

  /** True while the link can still be used. */
  get usable(): boolean {
    return this.failure === undefined && this.sender.isOpen();
  }

  /** When the link last had nothing to do (ms since the epoch), or undefined while sends are pending. */
  get idleSince(): number | undefined {
    return this.waiting.length + this.unsettled.size + this.flushing.length > 0 ? undefined : this.lastActive;
  }

  /** The largest message the receiving end accepts, in bytes (0 = no limit). */
  get maxMessageSize(): number {
    return Number(this.sender.maxMessageSize ?? 0);
  }

  /**
   * Sends one message when credit allows. Resolves with the outcome (or `settled` for a
   * pre-settled send); the returned `cancel` drops it if it has not been written yet.
   */
  send(message: Message, options: LinkSendOptions = {}): PendingSend {
    let waiter!: Waiter;
    let encoded: Buffer | undefined;
    let tooBig: MessageDeliveryFailure | undefined;
    try {
      const bytes: Buffer = rheaMessage.encode(message);
      encoded = bytes;
      const limit = smallestLimit(options.maxMessageSize ?? 0, this.maxMessageSize);
      if (limit && bytes.length > limit) {
        tooBig = new MessageDeliveryFailure(`a message of ${bytes.length} bytes to "${this.address}" exceeds the ${limit}-byte limit`);
      }
    } catch (e) {
      tooBig = new MessageDeliveryFailure(`a message to "${this.address}" cannot be encoded: ${(e as Error).message}`);
    }
    const outcome = new Promise<DeliveryOutcome>((resolve, reject) => {
      waiter = { message: encoded ?? Buffer.alloc(0), preSettled: Boolean(options.preSettled), resolve, reject };
    });
    if (tooBig) waiter.reject(tooBig);
    else if (this.failure) waiter.reject(this.failure);
    else {
      this.waiting.push(waiter);
      this.pump();
    }
    const cancel = () => {
      const i = this.waiting.indexOf(waiter);
      if (i >= 0) this.waiting.splice(i, 1);
    };
    return { outcome, cancel };
  }

  /** Detaches the link; pending sends reject. */
  async close(): Promise<void> {
    this.fail(new ConnectionLost(`sender link to "${this.address}" closed`));
    try {
      await this.sender.close({ closeSession: true });
    } catch {
      // already gone with its connection
    }
  }

  /**
   * Rejects every pending send (the link or its connection is gone): those not written yet
   * with `error`, those written with no outcome yet with a `ConnectionLost` that is `inDoubt`.
   */
  fail(error: MessagingError): void {
    if (this.failure) return;
    this.failure = error;
    for (const w of this.waiting.splice(0)) w.reject(error);
    const inDoubt = [...this.unsettled.values(), ...this.flushing.splice(0)];
    this.unsettled.clear();
    if (inDoubt.length === 0) return;
    const lost = new ConnectionLost(`${error.message}; a message to "${this.address}" was sent and its outcome is unknown`, error, true);
    for (const w of inDoubt) w.reject(lost);
  }

  private pump(): void {
    while (this.waiting.length > 0 && this.sender.sendable() && this.writtenThisTick < this.sender.credit) {
      const w = this.waiting.shift()!;
      this.writtenThisTick++;
      this.scheduleTick();
      let delivery: Delivery;
      try {
        delivery = this.sender.send(w.message, { format: 0 });
      } catch (e) {
        w.reject(new MessageDeliveryFailure(`could not send to "${this.address}": ${(e as Error).message}`));
        continue;
      }
      if (w.preSettled) {
        // rhea writes the transfer later in this tick, with the settled flag we set now;
        // the send is done once it is written (see scheduleTick)
        (delivery as { settled: boolean }).settled = true;
        this.flushing.push(w);
      } else {
        this.unsettled.set(delivery, w);
      }
    }
  }

  private scheduleTick(): void {
    if (this.tickScheduled) return;
    this.tickScheduled = true;
    // rhea decrements credit when it writes the transfers, after this tick
    setImmediate(() => {
      this.tickScheduled = false;
      this.writtenThisTick = 0;
      this.lastActive = Date.now();
      // rhea has written this tick's transfers (on process.nextTick, before this callback)
      for (const w of this.flushing.splice(0)) {
        this.counters?.sendOutcome('settled');
        w.resolve({ outcome: 'settled' });
      }
      this.pump();
    });
  }

  private settled(delivery: Delivery | undefined): void {
    if (!delivery) return;
    const w = this.unsettled.get(delivery);
    if (!w) return;
    this.unsettled.delete(delivery);
    this.lastActive = Date.now();
    const outcome = outcomeFromRemoteState(delivery.remote_state);
    this.counters?.sendOutcome(outcome.outcome);
    w.resolve(outcome);
    if (!delivery.settled) delivery.update(true);
  }
}

/** The smaller of two size limits, where 0 means none. */
function smallestLimit(a: number, b: number): number {
  if (a <= 0) return b > 0 ? b : 0;
  return b > 0 ? Math.min(a, b) : a;
}
