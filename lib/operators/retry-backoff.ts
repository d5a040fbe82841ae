/**
 * @module
 */
import { type MonoTypeOperatorFunction, type SchedulerLike, asyncScheduler, retry, throwError, timer } from 'rxjs';
import { reconnectDelays } from '../config';
import { isMessagingError } from '../errors';

/** Options of {@link retryBackoff}; the defaults are oslo's reconnect schedule. */
export interface RetryBackoffOptions {
  /** The first delay. Default 1000. */
  readonly initialMs?: number;
  /** The multiplier of each further delay. Default 2. */
  readonly backoff?: number;
  /** The longest delay. Default 30000. */
  readonly maxMs?: number;
  /** How many retries at most; default unlimited. */
  readonly count?: number;
  /** Which errors to retry; default: oslo-rx errors marked `retryable`. */
  readonly retryIf?: (error: unknown) => boolean;
  /** Start over at `initialMs` once a value gets through. Default true. */
  readonly resetOnSuccess?: boolean;
  /** Scheduler for the delays (tests pass a TestScheduler). */
  readonly scheduler?: SchedulerLike;
}

/**
 * Resubscribes to the source after a retryable error, waiting 1, 2, 4, … up to 30 s
 * between attempts (oslo's schedule; see {@link RetryBackoffOptions}). Other errors pass.
 *
 * ```ts
 * client.call('status').pipe(retryBackoff({ count: 5, initialMs: 500 }))
 * ```
 */
export function retryBackoff<T>(options: RetryBackoffOptions = {}): MonoTypeOperatorFunction<T> {
  const delayMs = reconnectDelays({
    connectionRetryIntervalMs: options.initialMs ?? 1000,
    connectionRetryBackoff: options.backoff ?? 2,
    connectionRetryIntervalMaxMs: options.maxMs ?? 30_000,
  });
  const retryIf = options.retryIf ?? ((e: unknown) => isMessagingError(e) && e.retryable);
  return retry({
    count: options.count ?? Infinity,
    resetOnSuccess: options.resetOnSuccess ?? true,
    delay: (error: unknown, attempt: number) =>
      retryIf(error) ? timer(delayMs(attempt), options.scheduler ?? asyncScheduler) : throwError(() => error),
  });
}
