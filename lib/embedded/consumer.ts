/**
 * One consuming link of a client, seen from the intermediary (a rhea sender).
 * @module
 */
import type { Delivery, EventContext, Sender } from 'rhea';
import { type ConsumerResult, acceptedOutcome, outcomeFromRemoteState } from './outcome';
import { dropWrittenDeliveryIds, forgetDelivery, linkCredit, markPresettled } from './rhea-internals';

/** What a {@link Consumer} tells its owner. */
export interface ConsumerListener {
  /** The consumer may have credit again (flow, drain, or space in its session). */
  credit(consumer: Consumer): void;
  /** The link is gone; called once, before the results of its unsettled deliveries. */
  closed(consumer: Consumer): void;
}

/** A message as it travels: its encoded bytes and the transfer's message-format (0 is standard AMQP). */
export interface EncodedMessage {
  /** The encoded message. */
  readonly bytes: Buffer;
  /** The transfer's message-format. */
  readonly format: number;
}

const OUTCOME_EVENTS = ['accepted', 'rejected', 'released', 'modified', 'settled'] as const;
const SETTLE_MODE_SETTLED = 1;

/**
 * Sends encoded messages to one client receiver, never beyond its credit, and
 * reports each unsettled delivery's outcome (or `lost` when the link goes first).
 */
export class Consumer {
  private readonly unsettled = new Map<Delivery, (result: ConsumerResult) => void>();
  private readonly unwritten: number[] = [];
  private open = true;

  /**
   * @param id log id (`c3/l2`)
   * @param address the address it consumes from
   * @param sender the rhea sender, already answered with its source and target
   * @param listener its owner
   */
  constructor(
    readonly id: string,
    readonly address: string,
    private readonly sender: Sender,
    private readonly listener: ConsumerListener,
  ) {
    const onCredit = () => this.listener.credit(this);
    // rhea dispatches a flow's `sendable` at once but the outcomes of a disposition read
    // just before it only on its next processing pass: wait for that pass, so a message
    // released and then re-credited goes out again ahead of newer ones.
    sender.on('sendable', () => process.nextTick(() => this.open && onCredit()));
    sender.on('sender_draining', () => {
      onCredit();
      if (this.open && this.unwritten.length === 0) sender.set_drained(true);
    });
    for (const event of OUTCOME_EVENTS) sender.on(event, (ctx: EventContext) => this.settled(ctx.delivery));
    // As with `sendable`: outcomes read just before the detach are dispatched by rhea only
    // on its next pass, so let that pass run before counting the unsettled ones as lost.
    sender.on('sender_close', () => process.nextTick(() => this.closed()));
    sender.on('sender_error', () => process.nextTick(() => this.closed()));
  }

  /** True when the client asked for pre-settled messages only (snd-settle-mode `settled`). */
  get presettledOnly(): boolean {
    return this.sender.snd_settle_mode === SETTLE_MODE_SETTLED;
  }

  /** How many more messages may be sent now. */
  available(): number {
    if (!this.open || !this.sender.sendable()) return 0;
    return Math.max(0, linkCredit(this.sender) - dropWrittenDeliveryIds(this.sender, this.unwritten));
  }

  /**
   * Sends `message`, pre-settled when `onResult` is absent or the client wants pre-settled
   * messages (then `onResult`, if given, gets `accepted` at once). Call only when
   * {@link available} is positive.
   */
  send(message: EncodedMessage, onResult?: (result: ConsumerResult) => void): void {
    const delivery = this.sender.send(message.bytes, undefined, message.format);
    this.unwritten.push(delivery.id);
    if (onResult === undefined || this.presettledOnly) {
      markPresettled(delivery);
      onResult?.(acceptedOutcome());
    } else {
      this.unsettled.set(delivery, onResult);
    }
  }

  /** The link, its session or its connection is gone. Idempotent. */
  closed(): void {
    if (!this.open) return;
    this.open = false;
    this.listener.closed(this);
    const lost = [...this.unsettled];
    this.unsettled.clear();
    for (const [delivery, onResult] of lost) {
      forgetDelivery(delivery);
      onResult({ type: 'lost' });
    }
  }

  private settled(delivery: Delivery | undefined): void {
    if (delivery === undefined) return;
    const onResult = this.unsettled.get(delivery);
    if (onResult === undefined) return;
    const outcome = delivery.remote_settled || delivery.remote_state !== undefined ? outcomeFromRemoteState(delivery.remote_state) : undefined;
    if (outcome === undefined) return;
    this.unsettled.delete(delivery);
    if (!delivery.remote_settled) delivery.update(true);
    onResult(outcome);
  }
}
