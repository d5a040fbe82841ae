/**
 * A notification received by a listener.
 * @module
 */
import { type IncomingDelivery, requeueDelivery } from '../amqp';
import type { NotificationBody } from '../wire';
import { type Priority, priorityNamed } from './priority';
import type { MessageSpan } from '../tracing/message-span';

/** The message id and timestamp of a notification (oslo's listener `metadata`). */
export interface NotificationMetadata {
  /** The notifier's message id (a dashed uuid). */
  readonly messageId?: string;
  /** When it was sent: UTC, Python's `str(datetime)` form. */
  readonly timestamp?: string;
}

/**
 * One notification from a {@link notificationListener} stream. Settle it with {@link ack}
 * (handled) or {@link requeue} (give it back; a broker delivers it again). Until then it
 * holds one unit of the listener's credit, so unacknowledged notifications stop the flow.
 */
export class IncomingNotification {
  /** The priority (lower case; `warn` for `WARN` and `WARNING`). */
  readonly priority: Priority | string;
  /** Who sent it. */
  readonly publisherId?: string;
  /** What happened, e.g. `compute.instance.create.end`. */
  readonly eventType?: string;
  /** The payload. */
  readonly payload: unknown;
  /** The (sanitized) request context the notifier sent, `{}` when none. */
  readonly context: Readonly<Record<string, unknown>>;
  /** Message id and timestamp. */
  readonly metadata: NotificationMetadata;
  /** 2 when it came in oslo's envelope (`messagingv2`), 1 otherwise. */
  readonly version: 1 | 2;

  /**
   * @param body the decoded body
   * @param delivery the AMQP delivery it came in
   * @param countRequeues requeue as `modified` with delivery-failed, so the intermediary counts
   *   the attempt (set when the listener has a `maxDeliveries` budget)
   * @param span the consumer span of processing it (tracing on), ended when it is settled
   */
  constructor(
    body: NotificationBody,
    readonly delivery: IncomingDelivery,
    private readonly countRequeues = false,
    private readonly span?: MessageSpan,
  ) {
    const m = body.message;
    this.priority = priorityNamed(m.priority) ?? m.priority.toLowerCase();
    if (m.publisherId !== undefined) this.publisherId = m.publisherId;
    if (m.eventType !== undefined) this.eventType = m.eventType;
    this.payload = m.payload;
    this.context = body.context ?? {};
    this.metadata = {
      ...(m.messageId === undefined ? {} : { messageId: m.messageId }),
      ...(m.timestamp === undefined ? {} : { timestamp: m.timestamp }),
    };
    this.version = body.version;
    if (span) delivery.whenSettled(() => span.end());
  }

  /**
   * Runs `fn` with this notification's consumer span active (when tracing is on), so the
   * spans the handler starts are its children.
   */
  withTraceContext<T>(fn: () => T): T {
    return this.span ? this.span.run(fn) : fn();
  }

  /** Settles it as accepted (handled). Returns false if it was settled already. */
  ack(): boolean {
    return this.delivery.accept();
  }

  /**
   * Gives it back to the intermediary for redelivery: `released`, or `modified` with
   * delivery-failed when the listener has a `maxDeliveries` budget.
   */
  requeue(): boolean {
    return requeueDelivery(this.delivery, this.countRequeues);
  }
}
