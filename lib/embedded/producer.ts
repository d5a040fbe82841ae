/**
 * One sending link of a client, seen from the intermediary (a rhea receiver).
 * @module
 */
import type { AmqpError, Delivery, EventContext, Message, Receiver } from 'rhea';
import { AMQP_CONDITIONS } from './amqp-conditions';
import type { EncodedMessage } from './consumer';
import type { StatsCounters } from './intermediary-stats';
import { type Outcome, rejectedOutcome } from './outcome';
import { encodeMessage, linkCredit } from './rhea-internals';
import type { TransferCapture } from './transfer-capture';

/** A message received from a client, to be routed by a personality. */
export interface IncomingTransfer extends EncodedMessage {
  /** Where it goes: the link's target address, or the message's `to` on an anonymous-relay link. */
  readonly address: string;
  /** The message as rhea decoded it (read-only: forward the bytes); empty for a non-standard message-format. */
  readonly message: Message;
  /** True when the sender sent it pre-settled (it wants no outcome). */
  readonly presettled: boolean;
  /** The link it came on. */
  readonly producer: Producer;
  /** Gives the sender its outcome (nothing is sent for a pre-settled message). Call once; later calls do nothing. */
  settle(outcome: Outcome): void;
}

/** What a {@link Producer} asks of, and tells, its owner. */
export interface ProducerListener {
  /** How many more unsettled or unrouted messages the owner takes from this link now (Infinity: no limit). */
  allowance(producer: Producer): number;
  /** Why a message to `address` cannot be taken, or undefined when it can (used for anonymous-relay messages). */
  refusal(address: string): AmqpError | undefined;
  /** A message arrived. */
  transfer(transfer: IncomingTransfer): void;
  /** The link is gone; called once. */
  closed(producer: Producer): void;
}

/** Settings of a {@link Producer}. */
export interface ProducerSettings {
  /** Credit window granted to the client. */
  readonly window: number;
  /** Largest message taken, in bytes; 0 for no limit. */
  readonly maxMessageSize: number;
  /** Where the message bytes come from. */
  readonly capture: TransferCapture;
  /** Shared counters. */
  readonly stats: StatsCounters;
}

/**
 * Takes messages from one client sender: grants credit in windows (as far as the
 * owner allows), checks size and address, and hands each message on with a
 * `settle` that answers the sender.
 */
export class Producer {
  private open = true;
  private unsettled = 0;

  /**
   * @param id log id (`c3/l2`)
   * @param address the link's target address; undefined for an anonymous-relay link
   * @param receiver the rhea receiver, already answered with its source and target
   */
  constructor(
    readonly id: string,
    readonly address: string | undefined,
    private readonly receiver: Receiver,
    private readonly settings: ProducerSettings,
    private readonly listener: ProducerListener,
  ) {
    receiver.on('message', (ctx: EventContext) => this.received(ctx));
    receiver.on('receiver_close', () => this.closed());
    receiver.on('receiver_error', () => this.closed());
  }

  /** Messages handed on and not settled yet. */
  get pending(): number {
    return this.unsettled;
  }

  /** Tops the client's credit up to the window when half of it is used, as far as the owner allows. */
  refill(): void {
    if (!this.open) return;
    const { window } = this.settings;
    const target = Math.min(window, this.listener.allowance(this));
    const credit = linkCredit(this.receiver);
    const grant = target - credit;
    if (grant > 0 && (grant >= Math.ceil(window / 2) || credit === 0)) this.receiver.add_credit(grant);
  }

  /** The link, its session or its connection is gone. Idempotent. */
  closed(): void {
    if (!this.open) return;
    this.open = false;
    this.listener.closed(this);
  }

  private received(ctx: EventContext): void {
    const delivery = ctx.delivery as Delivery;
    const format = delivery.format ?? 0;
    // rhea decodes only format 0; for other formats ctx.message is the raw bytes.
    const message = (format === 0 ? ctx.message : {}) as Message;
    const captured = this.settings.capture.take(this.receiver);
    const presettled = delivery.remote_settled;
    if (presettled) delivery.update(true);
    const { maxMessageSize } = this.settings;
    if (captured !== undefined && maxMessageSize > 0 && captured.size > maxMessageSize) {
      this.refuse(delivery, presettled, {
        condition: AMQP_CONDITIONS.messageSizeExceeded,
        description: `message of ${captured.size} bytes is larger than max-message-size ${maxMessageSize}`,
      });
      return;
    }
    const address = this.address ?? (typeof message.to === 'string' && message.to !== '' ? message.to : undefined);
    const refusal =
      address === undefined
        ? { condition: AMQP_CONDITIONS.invalidField, description: 'message on an anonymous-relay link has no "to" address' }
        : this.address === undefined
          ? this.listener.refusal(address)
          : undefined;
    if (address === undefined || refusal !== undefined) {
      this.refuse(delivery, presettled, refusal!);
      return;
    }
    this.unsettled++;
    let done = false;
    this.listener.transfer({
      address,
      bytes: captured?.bytes ?? (format === 0 ? encodeMessage(message) : (ctx.message as unknown as Buffer)),
      format,
      message,
      presettled,
      producer: this,
      settle: (outcome) => {
        if (done) return;
        done = true;
        this.unsettled--;
        if (!presettled && this.open) delivery.update(true, outcome.state.described());
        this.refill();
      },
    });
    this.refill();
  }

  private refuse(delivery: Delivery, presettled: boolean, error: AmqpError): void {
    if (presettled) {
      this.settings.stats.dropped++;
    } else {
      this.settings.stats.rejected++;
      delivery.update(true, rejectedOutcome(error.condition ?? AMQP_CONDITIONS.internalError, error.description ?? '').state.described());
    }
    this.refill();
  }
}
