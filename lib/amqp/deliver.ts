/**
 * oslo's delivery policy on top of `send`: resend what the intermediary released, fail
 * what it rejected, all within one deadline.
 * @module
 */
import { type Observable, catchError, defer, mergeMap, retry, throwError, timeout, timer } from 'rxjs';
import type { Message } from 'rhea-promise';
import type { DeliveryOutcome } from './delivery-outcome';
import { MessageDeliveryFailure, MessagingTimeout } from './errors';
import type { MessagingTransport } from './messaging-transport';

/** Options of {@link deliver}. */
export interface DeliverOptions {
  /** Send pre-settled (done once written). */
  readonly preSettled: boolean;
  /** The deadline for the whole delivery, resends included; `Infinity` when the caller bounds it. */
  readonly timeoutMs: number;
  /** How many resends are allowed (after a release or a connection loss); -1 = until the deadline. */
  readonly retry: number;
  /** What to call it in a timeout error, e.g. `call "echo"`. */
  readonly what: string;
}

class Resend extends Error {}

/**
 * Sends `message` and completes when the intermediary has it: `accepted` (or written, when
 * pre-settled). A `released` or plain `modified` outcome resends after `linkRetryDelayMs`
 * while retries remain; `rejected` or `modified` with delivery-failed/undeliverable-here
 * errors with {@link MessageDeliveryFailure}; the deadline errors with {@link MessagingTimeout}.
 */
export function deliver(transport: MessagingTransport, address: string, message: Message, options: DeliverOptions): Observable<DeliveryOutcome> {
  const retries = options.retry < 0 ? Infinity : options.retry;
  const resendDelay = transport.options.linkRetryDelayMs;
  return defer(() =>
    // one timer for the whole delivery: the one below
    transport.send(address, message, { preSettled: options.preSettled, timeoutMs: Infinity, retry: options.retry }),
  ).pipe(
    mergeMap((o) => {
      if (o.outcome === 'released' || (o.outcome === 'modified' && !o.deliveryFailed && !o.undeliverableHere)) {
        return throwError(() => new Resend());
      }
      if (o.outcome === 'rejected' || o.outcome === 'modified') {
        const why = o.outcome === 'rejected' ? `${o.condition ?? 'rejected'}${o.description ? `: ${o.description}` : ''}` : 'modified as undeliverable';
        return throwError(() => new MessageDeliveryFailure(`${options.what} to "${address}" refused: ${why}`, o));
      }
      return [o];
    }),
    retry({ count: retries, delay: (e: unknown) => (e instanceof Resend ? timer(resendDelay) : throwError(() => e)) }),
    catchError((e: unknown) =>
      throwError(() =>
        e instanceof Resend
          ? new MessageDeliveryFailure(`${options.what} to "${address}" was released by the intermediary and no retry is left`)
          : e,
      ),
    ),
    (s) =>
      Number.isFinite(options.timeoutMs)
        ? s.pipe(
            timeout({
              first: options.timeoutMs,
              with: () => throwError(() => new MessagingTimeout(`${options.what} to "${address}" timed out after ${options.timeoutMs} ms`, options.timeoutMs)),
            }),
          )
        : s,
  );
}
