/**
 * The first step of every receiving stream: the delivery's budget, then its body's codec.
 * @module
 */
import type { Either } from 'fp-ts/Either';
import type { Message } from 'rhea-promise';
import type { IncomingDelivery } from './incoming-delivery';
import { rejectIfBudgetSpent } from './redelivery-budget';

/** Why a codec refused a message: the AMQP error condition to reject it with, and why. */
export interface DecodeRefusal {
  /** The AMQP error condition, e.g. `amqp:decode-error`. */
  readonly condition: string;
  /** What is wrong with it. */
  readonly message: string;
}

/**
 * What `decode` makes of `delivery`'s message, or undefined when the delivery was rejected
 * here: its redelivery budget (`maxDeliveries`) is spent, or `decode` refused it (rejected
 * with the refusal's condition and logged with `log`).
 */
export function decodeOrReject<T>(
  delivery: IncomingDelivery,
  maxDeliveries: number | undefined,
  decode: (message: Message) => Either<DecodeRefusal, T>,
  log: (format: string, ...args: unknown[]) => void,
): T | undefined {
  if (rejectIfBudgetSpent(delivery, maxDeliveries)) return undefined;
  const decoded = decode(delivery.message);
  if (decoded._tag === 'Right') return decoded.right;
  log('rejecting a message on %s: %s', delivery.message.to, decoded.left.message);
  delivery.reject({ condition: decoded.left.condition, description: decoded.left.message });
  return undefined;
}
