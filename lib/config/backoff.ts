/**
 * oslo's reconnect schedule (amqp1_driver/controller.py, `_handle_connection_loss`).
 * @module
 */
import type { AmqpOptions } from './amqp-options';

/**
 * The delay before each reconnect attempt, as oslo computes it: the first
 * attempt waits `connectionRetryIntervalMs`, and each later one waits the
 * previous delay times `connectionRetryBackoff`, capped at
 * `connectionRetryIntervalMaxMs` (`delay = min(delay * backoff, max)`).
 *
 * - Defaults: 1, 2, 4, 8, 16, 30, 30, … seconds.
 * - Backoff 1: the interval every time (capped at the maximum from the second attempt).
 * - Backoff 0: the interval, then 0 (immediate retries) for every later attempt;
 *   that is oslo's arithmetic, kept as is.
 * - An interval above the maximum is used as is for the first attempt only, as in oslo.
 * - oslo rounds its timers up to whole seconds of a monotonic clock; the delays here are exact.
 *
 * The attempt count restarts at 1 once a connection opens (oslo resets its delay then).
 *
 * ## Example
 * ```ts
 * const delay = reconnectDelays(DEFAULT_AMQP_OPTIONS);
 * [1, 2, 3, 4, 5, 6, 7].map(delay); // [1000, 2000, 4000, 8000, 16000, 30000, 30000]
 * ```
 *
 * @param options the interval, the backoff multiplier and the maximum
 * @returns the delay in milliseconds before attempt `attempt` (1-based; anything below 1 counts as 1)
 */
export function reconnectDelays(
  options: Pick<AmqpOptions, 'connectionRetryIntervalMs' | 'connectionRetryBackoff' | 'connectionRetryIntervalMaxMs'>,
): (attempt: number) => number {
  const { connectionRetryIntervalMs: interval, connectionRetryBackoff: backoff, connectionRetryIntervalMaxMs: max } = options;
  // For a backoff >= 0, iterating min(delay * backoff, max) from `interval` equals this closed form.
  return (attempt) => (attempt <= 1 ? interval : Math.min(interval * backoff ** (Math.floor(attempt) - 1), max));
}
