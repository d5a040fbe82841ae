/**
 * @module
 */
import { type MonoTypeOperatorFunction, filter } from 'rxjs';

/** Anything that can be given back to the intermediary. */
export interface Requeueable {
  /** Releases it; the intermediary may deliver it again. */
  requeue(): boolean;
}

/**
 * Requeues the items that match `predicate` (all of them by default) and passes on the rest.
 *
 * ## Example
 * ```ts
 * notificationListener(transport, [{ topic: 'notifications' }])
 *   .pipe(requeue((n) => !database.up), mergeMap((n) => store(n).pipe(tap(() => n.ack())), 4))
 *   .subscribe();
 * ```
 */
export function requeue<T extends Requeueable>(predicate: (item: T) => boolean = () => true): MonoTypeOperatorFunction<T> {
  return filter((item) => {
    if (!predicate(item)) return true;
    item.requeue();
    return false;
  });
}
