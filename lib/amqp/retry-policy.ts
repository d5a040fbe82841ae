/**
 * The one retry policy of the AMQP core: which failures are tried again, after how long,
 * and how many times. Sends, link attaches and the reconnect loop all go through it.
 * @module
 */
import { type MonoTypeOperatorFunction, type SchedulerLike, asyncScheduler, retry, throwError, timer } from 'rxjs';
import { isMessagingError } from '../errors';
import { ConnectionLost } from './errors';

/** The intermediary released a message (or modified it without failure hints): send it again. */
export class Released extends Error {
  /** @param what what was released, for the error raised when no retry is left */
  constructor(readonly what: string) {
    super(`${what} was released by the intermediary`);
    this.name = 'Released';
  }
}

/** What may be retried, and how a delay is chosen; see {@link retryDelayMs}. */
export interface RetryRules {
  /** The delay before re-attaching a refused link or resending a released message (`linkRetryDelayMs`). */
  readonly linkRetryDelayMs: number;
  /**
   * Resend a message whose connection dropped after it was written but before its outcome
   * came (it may have arrived: at-least-once). False for calls, which fail with
   * `ConnectionLost` instead, since their reply link died with the connection.
   */
  readonly resendInDoubt: boolean;
  /** Random source for the jitter (tests pass a fixed one). Default `Math.random`. */
  readonly random?: () => number;
}

/** Up to this fraction of the delay is added at random, so that many clients do not retry in step. */
export const JITTER = 0.2;

/** `ms` plus up to {@link JITTER} of it at random. */
export function withJitter(ms: number, random: () => number = Math.random): number {
  return ms <= 0 ? 0 : Math.round(ms * (1 + JITTER * random()));
}

/**
 * How long to wait before trying again after `error`, or `undefined` when it must not be
 * retried:
 * - a released message, or a link the peer refused with a retryable condition
 *   (`amqp:not-found`, `amqp:resource-deleted`, ...): `linkRetryDelayMs` with jitter;
 * - a connection lost before the message was written: 0 (the retry waits for the next connection);
 * - a connection lost after it was written (in doubt): 0 when `resendInDoubt`, else not retried;
 * - anything not retryable (`retryable: false`, or not an oslo-rx error): not retried.
 */
export function retryDelayMs(error: unknown, rules: RetryRules): number | undefined {
  if (error instanceof Released) return withJitter(rules.linkRetryDelayMs, rules.random);
  if (error instanceof ConnectionLost) return error.inDoubt && !rules.resendInDoubt ? undefined : 0;
  if (isMessagingError(error, 'LinkRefused') && error.retryable) return withJitter(rules.linkRetryDelayMs, rules.random);
  return undefined;
}

/** Options of {@link retryWhen}. */
export interface RetryWhenOptions {
  /** How many retries at most; negative or `Infinity` = no limit (a deadline bounds them). */
  readonly count: number;
  /** The delay before retry number `attempt` (1-based) after `error`, or undefined to give up. */
  readonly delayMs: (error: unknown, attempt: number) => number | undefined;
  /** Start counting again once a value gets through (the reconnect loop). Default false. */
  readonly resetOnSuccess?: boolean;
  /** Scheduler for the delays (marble tests). */
  readonly scheduler?: SchedulerLike;
}

/**
 * `retry` with the policy's shape: resubscribes to the source after `delayMs(error, n)`,
 * and passes the error on when that returns undefined or `count` retries are used.
 */
export function retryWhen<T>(options: RetryWhenOptions): MonoTypeOperatorFunction<T> {
  const count = options.count < 0 ? Infinity : options.count;
  return retry<T>({
    count,
    resetOnSuccess: options.resetOnSuccess ?? false,
    delay: (error: unknown, attempt: number) => {
      const ms = options.delayMs(error, attempt);
      return ms === undefined ? throwError(() => error) : timer(ms, options.scheduler ?? asyncScheduler);
    },
  });
}
