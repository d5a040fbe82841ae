/**
 * @module
 */
import { type MonoTypeOperatorFunction, tap } from 'rxjs';
import { type FailureSettleable, type FailureStrategy, failureOutcome, settleFailure } from './failure-strategy';

/** Options of {@link ackBatch}. */
export interface AckBatchOptions {
  /** How to settle the batch when the work errors. Default `requeue`. */
  readonly failureStrategy?: FailureStrategy;
}

/**
 * Settles a whole batch by how the work on it ends: when the source completes, every item
 * is acknowledged; when it errors, every item is settled as `failureStrategy` says (default:
 * requeued); when it is unsubscribed before it ends (cancelled by `switchMap`, `race`,
 * `takeUntil`, ...), every item is requeued, so no item keeps its link's credit. Items
 * settled already are left as they are. Use it on the Observable of the work done for the batch:
 *
 * ```ts
 * listener$.pipe(
 *   bufferTime(1000, null, 100),
 *   mergeMap((batch) => saveAll(batch).pipe(ackBatch(batch, { failureStrategy: 'reject' }), catchError(() => EMPTY))),
 * )
 * ```
 */
export function ackBatch<T>(batch: ReadonlyArray<FailureSettleable>, options: AckBatchOptions = {}): MonoTypeOperatorFunction<T> {
  const strategy = options.failureStrategy ?? 'requeue';
  return tap({
    complete: () => batch.forEach((item) => item.ack()),
    error: (e: unknown) => {
      const outcome = failureOutcome(strategy, e);
      batch.forEach((item) => settleFailure(item, outcome, e));
    },
    unsubscribe: () => batch.forEach((item) => item.requeue()),
  });
}
