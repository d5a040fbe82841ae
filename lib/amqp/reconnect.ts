/**
 * Reconnect and failover as an RxJS `retry` with oslo's backoff.
 * @module
 */
import { type Observable, type SchedulerLike, catchError, defer, tap, throwError } from 'rxjs';
import type { AmqpConnection } from './amqp-connection';
import { isMessagingError, type MessagingError } from '../errors';
import { translateConnectionError } from './errors';
import { retryWhen } from './retry-policy';

/** Progress of the reconnect loop, for `state$`. */
export type ReconnectEvent =
  | { readonly kind: 'connecting'; readonly host: string; readonly attempt: number }
  | { readonly kind: 'open'; readonly host: string; readonly connection: AmqpConnection }
  | { readonly kind: 'disconnected'; readonly host: string; readonly error: MessagingError; readonly retryInMs: number };

/** What {@link reconnecting} needs: how to open host `i`, its label, and the delay schedule. */
export interface ReconnectPlan {
  /** How many hosts the URL has. */
  readonly hostCount: number;
  /** The redacted label of host `i`. */
  readonly label: (i: number) => string;
  /** Opens a connection to host `i` (see `connect`). */
  readonly open: (i: number) => Observable<AmqpConnection>;
  /** The delay before reconnect attempt `n` (1-based), e.g. `reconnectDelays(options)`. */
  readonly delayMs: (attempt: number) => number;
  /** Scheduler for the delays (tests pass a TestScheduler). */
  readonly scheduler?: SchedulerLike;
}

/**
 * Emits an open connection, and a new one after each loss: on error it waits
 * `plan.delayMs(n)` and tries the next host of the URL, round robin (failover),
 * resetting the schedule once a connection opens. Errors that are not retryable
 * (`AuthenticationFailed`) end the stream. `onEvent` reports progress for `state$`.
 */
export function reconnecting(plan: ReconnectPlan, onEvent: (e: ReconnectEvent) => void): Observable<AmqpConnection> {
  let next = 0;
  let attempt = 0;
  let current = 0;
  return defer(() => {
    current = next;
    next = (next + 1) % plan.hostCount;
    attempt++;
    onEvent({ kind: 'connecting', host: plan.label(current), attempt });
    return plan.open(current).pipe(
      tap((connection) => {
        attempt = 0;
        onEvent({ kind: 'open', host: plan.label(current), connection });
      }),
    );
  }).pipe(
    catchError((e: unknown) => throwError(() => (isMessagingError(e) ? e : translateConnectionError(e, plan.label(current))))),
    retryWhen({
      count: -1,
      resetOnSuccess: true,
      scheduler: plan.scheduler,
      delayMs: (e: unknown, retryCount: number) => {
        const error = e as MessagingError;
        if (!error.retryable) return undefined;
        const retryInMs = plan.delayMs(retryCount);
        onEvent({ kind: 'disconnected', host: plan.label(current), error, retryInMs });
        return retryInMs;
      },
    }),
  );
}
