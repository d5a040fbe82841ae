/**
 * What becomes of a message whose handling failed: the one place that maps an error in
 * `dispatch` or `ackBatch` work to an AMQP outcome.
 * @module
 */
import type { IncomingDelivery } from '../amqp';
import type { Ackable } from './ack';
import type { Requeueable } from './requeue';

/**
 * How to settle a message whose handler failed:
 * - `accept`: done with it (the intermediary drops it);
 * - `requeue`: give it back for redelivery (`released`, or `modified` with delivery-failed
 *   when the server or listener has a `maxDeliveries` budget, so the count goes up);
 * - `reject`: set it aside as unprocessable (`rejected` with `amqp:internal-error` and the
 *   error's message; a broker's dead-letter policy keeps it);
 * - `modified-failed`: `modified` with delivery-failed (delivery-count goes up; RabbitMQ 3.x,
 *   which refuses `modified`, gets `released`).
 */
export type FailureOutcome = 'accept' | 'requeue' | 'reject' | 'modified-failed';

/** A fixed {@link FailureOutcome}, or a function choosing one from the error. */
export type FailureStrategy = FailureOutcome | ((error: unknown) => FailureOutcome);

/** The AMQP condition of a rejection chosen by a {@link FailureStrategy}. */
export const HANDLER_FAILED_CONDITION = 'amqp:internal-error';

/** Something a failure strategy can settle: an RPC request or a notification (or any ackable with its delivery). */
export interface FailureSettleable extends Ackable, Requeueable {
  /** The AMQP delivery, for `reject` and `modified-failed` (without it those requeue). */
  readonly delivery?: Pick<IncomingDelivery, 'reject' | 'modify'>;
}

/** The outcome `strategy` picks for `error`. */
export function failureOutcome(strategy: FailureStrategy, error: unknown): FailureOutcome {
  return typeof strategy === 'function' ? strategy(error) : strategy;
}

function describe(error: unknown): string {
  const e = error as { name?: unknown; message?: unknown } | undefined;
  const text = typeof e?.message === 'string' ? `${typeof e.name === 'string' ? e.name : 'Error'}: ${e.message}` : String(error);
  return text.length > 256 ? `${text.slice(0, 253)}...` : text;
}

/** Settles `item` as `outcome` says for a failure with `error`; returns false if it was settled already. */
export function settleFailure(item: FailureSettleable, outcome: FailureOutcome, error: unknown): boolean {
  switch (outcome) {
    case 'accept':
      return item.ack();
    case 'reject':
      return item.delivery ? item.delivery.reject({ condition: HANDLER_FAILED_CONDITION, description: describe(error) }) : item.requeue();
    case 'modified-failed':
      return item.delivery ? item.delivery.modify({ deliveryFailed: true }) : item.requeue();
    case 'requeue':
      return item.requeue();
  }
}
