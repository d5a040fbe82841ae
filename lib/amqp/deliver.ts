/**
 * How every message leaves oslo-rx: built for the connection it goes out on, sent, resent
 * by the retry policy, all within one deadline.
 * @module
 */
import { type Observable, catchError, defer, isObservable, mergeMap, of, throwError } from 'rxjs';
import type { Message } from 'rhea-promise';
import type { AmqpConnection } from './amqp-connection';
import { deadline } from './deadline';
import type { DeliveryOutcome } from './delivery-outcome';
import { MessageDeliveryFailure } from './errors';
import { Released, type RetryRules, retryDelayMs, retryWhen } from './retry-policy';
import { type TransportCounters, meterSend } from './metrics';

/** A message and the address it goes to. */
export interface Outgoing {
  /** The target address. */
  readonly address: string;
  /** The message; its `to` defaults to `address`. */
  readonly message: Message;
}

/**
 * Builds the message for the connection it is about to go out on (its addressing mode, the
 * reply address of its reply link). Called once per attempt, so a resend never carries
 * what belonged to a connection that is gone.
 */
export type OutgoingBuilder = (connection: AmqpConnection) => Outgoing | Observable<Outgoing>;

/** Options of a send; every field has a default. */
export interface SendOptions {
  /** Send pre-settled (no outcome; done once written). Default false. */
  readonly preSettled?: boolean;
  /**
   * Deadline for the whole send, waits for a connection, a link and credit, and resends
   * included. Default: the `defaultSendTimeoutMs` option. `Infinity` sets none, for callers
   * that bound the whole operation themselves.
   */
  readonly timeoutMs?: number;
  /** How many times to send again (after a release, a refused link or a connection loss): -1 (default) = until the deadline. */
  readonly retry?: number;
  /**
   * `accepted` (what oslo needs): a `released` outcome is sent again, `rejected` (or
   * `modified` as undeliverable) errors with `MessageDeliveryFailure`; only `accepted` or
   * `settled` is emitted. `any` (default): the first outcome is emitted, whatever it is.
   */
  readonly settlement?: 'any' | 'accepted';
  /**
   * Send again a message whose connection dropped after it was written but before its
   * outcome came (it may have arrived twice then: at-least-once). Default true; calls say
   * false and fail with an `inDoubt` `ConnectionLost`.
   */
  readonly resendInDoubt?: boolean;
  /**
   * Attach the sender with a durable target terminus, so a broker that declares queues from
   * attaches (RabbitMQ) makes the queue durable. Notifications use it. Default false.
   */
  readonly durableLink?: boolean;
  /** What to call the message in errors, e.g. `call "echo"` (`... to "<address>" timed out`). Default `message`. */
  readonly what?: string;
}

/** What {@link deliver} needs from the connection manager. */
export interface DeliverContext {
  /** The open connection, once (waits while disconnected; errors once closed). */
  readonly nextConnection: () => Observable<AmqpConnection>;
  /** The transport's `defaultSendTimeoutMs`. */
  readonly defaultTimeoutMs: number;
  /** The transport's `linkRetryDelayMs`. */
  readonly linkRetryDelayMs: number;
  /** The transport's `maxMessageSize` (0 = no limit of ours). */
  readonly maxMessageSize: number;
  /** The transport's metrics: sends pending and failed (each outcome is counted by its sender link). */
  readonly counters?: TransportCounters;
}

function refusal(o: DeliveryOutcome): string | undefined {
  if (o.outcome === 'rejected') return `${o.condition ?? 'rejected'}${o.description ? `: ${o.description}` : ''}`;
  if (o.outcome === 'modified' && (o.deliveryFailed || o.undeliverableHere)) return 'modified as undeliverable';
  return undefined;
}

/**
 * Sends what `build` makes for the current connection and emits its outcome once, then
 * completes. Waits for a connection, the link and credit; tries again as the retry policy
 * says (`retry-policy.ts`); errors with `MessagingTimeout` at the deadline.
 */
export function deliver(context: DeliverContext, build: OutgoingBuilder, options: SendOptions = {}): Observable<DeliveryOutcome> {
  let address = '';
  const what = () => `${options.what ?? 'message'} to "${address}"`;
  const rules: RetryRules = { linkRetryDelayMs: context.linkRetryDelayMs, resendInDoubt: options.resendInDoubt ?? true };
  const strict = options.settlement === 'accepted';
  const attempt = defer(() => context.nextConnection()).pipe(
    mergeMap((c) => {
      const built = build(c);
      return (isObservable(built) ? built : of(built)).pipe(
        mergeMap((out) => {
          address = out.address;
          const message = out.message.to === undefined ? { ...out.message, to: out.address } : out.message;
          return c.send(out.address, message, { preSettled: options.preSettled, maxMessageSize: context.maxMessageSize, durableLink: options.durableLink });
        }),
      );
    }),
    mergeMap((o) => {
      if (!strict) return of(o);
      if (o.outcome === 'released' || (o.outcome === 'modified' && !o.deliveryFailed && !o.undeliverableHere)) {
        return throwError(() => new Released(what()));
      }
      const refused = refusal(o);
      return refused ? throwError(() => new MessageDeliveryFailure(`${what()} refused: ${refused}`, o)) : of(o);
    }),
  );
  return attempt.pipe(
    retryWhen({ count: options.retry ?? -1, delayMs: (e) => retryDelayMs(e, rules) }),
    catchError((e: unknown) =>
      throwError(() => (e instanceof Released ? new MessageDeliveryFailure(`${e.message} and no retry is left`) : e)),
    ),
    deadline({ ms: options.timeoutMs ?? context.defaultTimeoutMs, what }),
    meterSend(context.counters),
  );
}
