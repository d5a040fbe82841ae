/**
 * @module
 */
import { type MonoTypeOperatorFunction, tap } from 'rxjs';
import type { Ackable } from './ack';
import type { Requeueable } from './requeue';

/**
 * Settles a whole batch by how the work on it ends: when the source completes, every item
 * is acknowledged; when it errors, or is unsubscribed before it ends (cancelled by
 * `switchMap`, `race`, `takeUntil`, ...), every item is requeued, so no item keeps its
 * link's credit. Items settled already are left as they are. Use it
 * on the Observable of the work done for the batch:
 *
 * ```ts
 * listener$.pipe(
 *   bufferTime(1000, null, 100),
 *   mergeMap((batch) => saveAll(batch).pipe(ackBatch(batch), catchError(() => EMPTY))),
 * )
 * ```
 */
export function ackBatch<T>(batch: ReadonlyArray<Ackable & Requeueable>): MonoTypeOperatorFunction<T> {
  return tap({
    complete: () => batch.forEach((item) => item.ack()),
    error: () => batch.forEach((item) => item.requeue()),
    unsubscribe: () => batch.forEach((item) => item.requeue()),
  });
}
