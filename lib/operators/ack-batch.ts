/**
 * @module
 */
import { type MonoTypeOperatorFunction, tap } from 'rxjs';
import type { Ackable } from './ack';
import type { Requeueable } from './requeue';

/**
 * Settles a whole batch by how the work on it ends: when the source completes, every item
 * is acknowledged; when it errors, every item is requeued (and the error goes on). Use it
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
  });
}
