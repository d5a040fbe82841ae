/**
 * The one deadline of every operation: call, cast, send, notify, reply.
 * @module
 */
import { type MonoTypeOperatorFunction, Observable, type SchedulerLike } from 'rxjs';
import { MessagingTimeout } from './errors';
import { MAX_TIMER_MS, deadlines } from './deadline-queue';

export { MAX_TIMER_MS };

/** Options of {@link deadline}. */
export interface DeadlineOptions {
  /**
   * Milliseconds from subscription. `Infinity` (or `undefined`) sets no deadline; values past
   * {@link MAX_TIMER_MS} are clamped to it; 0 or less fails on the next turn of the event loop.
   */
  readonly ms: number | undefined;
  /** What timed out, for the error message, e.g. `call "echo"`. Built only when it fires. */
  readonly what: string | (() => string);
  /**
   * Restart the clock on each value from the source whose predicate returns true (oslo's call
   * monitor: each heartbeat proves the server is alive). Default: never restart.
   */
  readonly restartOn?: (value: unknown) => boolean;
  /** Scheduler for the timer (marble tests pass a TestScheduler). Default: the process's deadline queue. */
  readonly scheduler?: SchedulerLike;
}

/** The delay to arm a timer with for a deadline of `ms`, or undefined for none. */
export function timerDelay(ms: number | undefined): number | undefined {
  if (ms === undefined || ms === Infinity || Number.isNaN(ms)) return undefined;
  return Math.min(Math.max(ms, 0), MAX_TIMER_MS);
}

/**
 * Arms a deadline of `ms` (see {@link DeadlineOptions.ms}): after it, `onTimeout` gets the
 * {@link MessagingTimeout} saying what timed out. Returns how to cancel it, or undefined when
 * `ms` sets no deadline. For hand-written streams; operators use {@link deadline}.
 */
export function armDeadline(
  ms: number | undefined,
  what: string | (() => string),
  onTimeout: (error: MessagingTimeout) => void,
  scheduler?: SchedulerLike,
): (() => void) | undefined {
  const delay = timerDelay(ms);
  if (delay === undefined) return undefined;
  const fire = () => onTimeout(new MessagingTimeout(`${typeof what === 'function' ? what() : what} timed out after ${ms} ms`, ms));
  if (scheduler) {
    const action = scheduler.schedule(fire, delay);
    return () => action.unsubscribe();
  }
  // past MAX_TIMER_MS the queue re-arms until the real due time
  return deadlines.add(ms === undefined || ms < 0 ? 0 : ms, fire);
}

/**
 * Errors with {@link MessagingTimeout} when the source has not finished `options.ms` after
 * subscription, unsubscribing from it (which cancels what it was doing). One entry in the
 * process's deadline queue per subscription, removed as soon as the source ends.
 *
 * ```ts
 * send$.pipe(deadline({ ms: 30_000, what: 'send to "q"' }))
 * ```
 */
export function deadline<T>(options: DeadlineOptions): MonoTypeOperatorFunction<T> {
  if (timerDelay(options.ms) === undefined) return (source) => source;
  return (source) =>
    new Observable<T>((subscriber) => {
      let cancel: (() => void) | undefined;
      const fire = (e: MessagingTimeout) => {
        cancel = undefined;
        inner.unsubscribe();
        subscriber.error(e);
      };
      const arm = () => {
        cancel?.();
        cancel = armDeadline(options.ms, options.what, fire, options.scheduler);
      };
      arm();
      const inner = source.subscribe({
        next: (value) => {
          if (options.restartOn?.(value)) arm();
          subscriber.next(value);
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
      return () => {
        cancel?.();
        inner.unsubscribe();
      };
    });
}
