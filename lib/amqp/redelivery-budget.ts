/**
 * The redelivery budget: how many times a message may be handed to the application
 * before it is set aside (rejected) instead of being delivered again.
 * @module
 */
import { InvalidOption } from '../config';
import { logger } from '../log';
import type { IncomingDelivery } from './incoming-delivery';

const log = logger('redelivery-budget');

/**
 * The AMQP error condition of a rejection for an exhausted redelivery budget. A broker
 * with a dead-letter policy keeps the message (RabbitMQ dead-letters a rejected message
 * when its queue has a `dead-letter-exchange`).
 */
export const DELIVERY_LIMIT_CONDITION = 'amqp:precondition-failed';

/**
 * Returns `maxDeliveries` when it is absent or an integer >= 1.
 * @throws InvalidOption for anything else
 */
export function checkMaxDeliveries(maxDeliveries: unknown): number | undefined {
  if (maxDeliveries === undefined) return undefined;
  if (typeof maxDeliveries === 'number' && Number.isInteger(maxDeliveries) && maxDeliveries >= 1) return maxDeliveries;
  throw new InvalidOption('maxDeliveries', maxDeliveries, 'expected an integer >= 1');
}

/**
 * True when `delivery` has been delivered `maxDeliveries` times already, going by its
 * header's `delivery-count` (earlier failed attempts): the application saw it on attempts
 * 0 .. maxDeliveries-1. Always false for `maxDeliveries` undefined or below 1.
 */
export function deliveryBudgetSpent(delivery: IncomingDelivery, maxDeliveries: number | undefined): boolean {
  return maxDeliveries !== undefined && maxDeliveries >= 1 && delivery.deliveryCount >= maxDeliveries;
}

/**
 * Rejects `delivery` with {@link DELIVERY_LIMIT_CONDITION} and a description saying so
 * when its budget is spent (see {@link deliveryBudgetSpent}); returns whether it did.
 */
export function rejectIfBudgetSpent(delivery: IncomingDelivery, maxDeliveries: number | undefined): boolean {
  if (!deliveryBudgetSpent(delivery, maxDeliveries)) return false;
  log('rejecting a message on %s: delivered %d times (maxDeliveries %d)', delivery.message.to, delivery.deliveryCount, maxDeliveries);
  delivery.reject({
    condition: DELIVERY_LIMIT_CONDITION,
    description: `delivered ${delivery.deliveryCount} times, the limit is maxDeliveries=${maxDeliveries}`,
  });
  return true;
}

/**
 * Gives `delivery` back for redelivery. With a budget (`counted`) it is settled as
 * `modified` with delivery-failed, so the intermediary raises its delivery-count (a plain
 * `released` leaves the count as it is, AMQP 1.0 §3.4.4); without one as `released`, as oslo does.
 */
export function requeueDelivery(delivery: IncomingDelivery, counted: boolean): boolean {
  return counted ? delivery.modify({ deliveryFailed: true }) : delivery.release();
}
