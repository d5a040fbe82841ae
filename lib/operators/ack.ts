/**
 * @module
 */
import { type MonoTypeOperatorFunction, tap } from 'rxjs';

/** Anything that can be acknowledged: an RPC request, a notification, a delivery. */
export interface Ackable {
  /** Settles it as accepted. */
  ack(): boolean;
}

/**
 * Acknowledges each item as it passes (settles it as accepted, returning its credit).
 *
 * ## Example
 * ```ts
 * notificationListener(transport, [{ topic: 'notifications' }])
 *   .pipe(tap((n) => audit.write(n.payload)), ack())
 *   .subscribe();
 * ```
 */
export function ack<T extends Ackable>(): MonoTypeOperatorFunction<T> {
  return tap((item) => item.ack());
}
