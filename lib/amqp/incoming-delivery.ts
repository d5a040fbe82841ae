/**
 * A message received on a receiver link, with its dispositions as methods.
 * @module
 */
import type { Delivery, Message } from 'rhea-promise';

/** How a delivery was settled by this side. */
export type Disposition = 'accepted' | 'released' | 'modified' | 'rejected';

/** Options of {@link IncomingDelivery.modify}. */
export interface ModifyOptions {
  /** Count this as a failed delivery attempt (the intermediary increments `delivery-count`). Default true. */
  deliveryFailed?: boolean;
  /** Do not deliver the message to this link again. Default false. */
  undeliverableHere?: boolean;
}

/** An AMQP error condition sent with a rejection. */
export interface RejectCondition {
  /** AMQP error condition symbol, e.g. `amqp:decode-error`. */
  condition: string;
  /** Human-readable reason. */
  description?: string;
}

/**
 * One received message. Settle it exactly once with {@link accept}, {@link release},
 * {@link modify} or {@link reject}; later calls are ignored and return false.
 * Until it is settled it holds one unit of its link's credit, so an unsettled backlog
 * stops the flow from the intermediary.
 */
export class IncomingDelivery {
  private settledAs: Disposition | undefined;
  private onSettled: ((d: Disposition) => void) | undefined;

  /**
   * @param message the decoded AMQP message
   * @param delivery rhea's delivery, or undefined for one that arrived pre-settled
   * @param link the link's hooks (one object may serve all of a link's deliveries): `settled`
   *   is called once, with this delivery, when this side settles it (returns the link credit),
   *   `alive` tells whether the link is still attached, and `submit` writes a disposition (see
   *   `DispositionGate`); `modifiedAsReleased` sends `released` for {@link modify} to peers
   *   that refuse `modified` (RabbitMQ 3.x); all optional
   */
  constructor(
    readonly message: Message,
    private readonly delivery: Delivery | undefined,
    private readonly link: {
      settled?: (d: Disposition, delivery: IncomingDelivery) => void;
      alive?: () => boolean;
      submit?: (kind: Disposition, write: () => void) => void;
      modifiedAsReleased?: boolean;
    } = {},
  ) {}

  /** The intermediary's count of earlier failed attempts to deliver this message (AMQP header `delivery-count`). */
  get deliveryCount(): number {
    return this.message.delivery_count ?? 0;
  }

  /** True when the sender settled the message before sending it: no disposition reaches the sender. */
  get preSettled(): boolean {
    return this.delivery === undefined || Boolean(this.delivery.remote_settled);
  }

  /** How this side settled it, or undefined while it is unsettled. */
  get disposition(): Disposition | undefined {
    return this.settledAs;
  }

  /** Settle as `accepted`: processed; the intermediary drops it. */
  accept(): boolean {
    return this.settle('accepted', (d) => d.accept());
  }

  /** Settle as `released`: not processed; the intermediary may deliver it again (oslo's requeue). */
  release(): boolean {
    return this.settle('released', (d) => d.release());
  }

  /**
   * Settle as `modified`: not processed, with failure hints (see {@link ModifyOptions}).
   * To a peer that does not support `modified` (RabbitMQ 3.x) it goes as `released`.
   */
  modify(options: ModifyOptions = {}): boolean {
    if (this.link.modifiedAsReleased) return this.settle('modified', (d) => d.release());
    return this.settle('modified', (d) =>
      d.modified({
        delivery_failed: options.deliveryFailed ?? true,
        undeliverable_here: options.undeliverableHere ?? false,
      }),
    );
  }

  /**
   * Settle a message nobody here wants (a late reply) so that it is not delivered to this
   * link again: `modified` as undeliverable-here, as oslo does; `accepted` (dropped) where the
   * peer would turn `modified` into `released` and hand it straight back (RabbitMQ 3.x).
   */
  discard(): boolean {
    if (this.link.modifiedAsReleased) return this.accept();
    return this.modify({ deliveryFailed: true, undeliverableHere: true });
  }

  /** Settle as `rejected` with an error condition: the message is invalid and must not be redelivered. */
  reject(condition: RejectCondition): boolean {
    return this.settle('rejected', (d) => d.reject({ condition: condition.condition, description: condition.description }));
  }

  /**
   * Calls `callback` once when this side settles the delivery, however it is settled (at
   * once when it is settled already). One callback per delivery: a second replaces the first.
   */
  whenSettled(callback: (d: Disposition) => void): void {
    if (this.settledAs !== undefined) callback(this.settledAs);
    else this.onSettled = callback;
  }

  private settle(as: Disposition, send: (d: Delivery) => void): boolean {
    if (this.settledAs !== undefined) return false;
    this.settledAs = as;
    // A pre-settled delivery takes no disposition frame (nor does one whose link is gone,
    // see write).
    const delivery = this.delivery;
    if (delivery && !delivery.remote_settled) {
      if (this.link.submit) this.link.submit(as, () => this.write(delivery, send));
      else this.write(delivery, send);
    }
    this.link.settled?.(as, this);
    this.onSettled?.(as);
    return true;
  }

  /** Writes the disposition, unless the link is gone: the intermediary redelivers what was unsettled when the link dropped. */
  private write(delivery: Delivery, send: (d: Delivery) => void): void {
    if (this.link.alive && !this.link.alive()) return;
    try {
      send(delivery);
    } catch {
      // The link closed under us between the check and the write; the same holds.
    }
  }
}
