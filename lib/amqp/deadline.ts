/**
 * The one deadline of every operation: call, cast, send, notify, reply.
 * @module
 */
import { type MonoTypeOperatorFunction, Observable, type SchedulerLike } from 'rxjs';
import { MessagingTimeout } from './errors';

/** The longest delay Node's timers take (2^31 - 1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

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
  /** Scheduler for the timer (marble tests pass a TestScheduler). Default: a plain `setTimeout`. */
  readonly scheduler?: SchedulerLike;
}

/** The delay to arm a timer with for a deadline of `ms`, or undefined for none. */
export function timerDelay(ms: number | undefined): number | undefined {
  if (ms === undefined || ms === Infinity || Number.isNaN(ms)) return undefined;
  return Math.min(Math.max(ms, 0), MAX_TIMER_MS);
}

/**
 * Errors with {@link MessagingTimeout} when the source has not finished `options.ms` after
 * subscription, unsubscribing from it (which cancels what it was doing). One `setTimeout`
 * per subscription, cleared as soon as the source ends.
 *
 * ```ts
 * send$.pipe(deadline({ ms: 30_000, what: 'send to "q"' }))
 * ```
 */
export function deadline<T>(options: DeadlineOptions): MonoTypeOperatorFunction<T> {
  const delay = timerDelay(options.ms);
  if (delay === undefined) return (source) => source;
  const message = () => {
    const what = typeof options.what === 'function' ? options.what() : options.what;
    return `${what} timed out after ${options.ms} ms`;
  };
  return (source) =>
    new Observable<T>((subscriber) => {
      let cancel: (() => void) | undefined;
      const fire = () => {
        cancel = undefined;
        inner.unsubscribe();
        subscriber.error(new MessagingTimeout(message(), options.ms));
      };
      const arm = () => {
        cancel?.();
        cancel = startTimer(fire, delay, options.scheduler);
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

/** Runs `fire` after `delay` ms on `scheduler` (or a plain timer); returns how to cancel it. */
function startTimer(fire: () => void, delay: number, scheduler: SchedulerLike | undefined): () => void {
  if (scheduler) {
    const action = scheduler.schedule(fire, delay);
    return () => action.unsubscribe();
  }
  const timer = setTimeout(fire, delay);
  return () => clearTimeout(timer);
}
