/**
 * How every message leaves oslo-rx: built for the connection it goes out on, sent, resent
 * by the retry policy, all within one deadline.
 * @module
 */
import { Observable, isObservable, map, mergeMap, of } from 'rxjs';
import type { Message } from 'rhea-promise';
import type { AmqpConnection } from './amqp-connection';
import { armDeadline } from './deadline';
import type { DeliveryOutcome } from './delivery-outcome';
import { MessageDeliveryFailure } from './errors';
import { Released, type RetryRules, retryDelayMs } from './retry-policy';
import type { TransportCounters } from './metrics';

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
  /** The connection when one is open now, synchronously (the fast path); default: never. */
  readonly connectionNow?: () => AmqpConnection | undefined;
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
 * What an outcome means to a send that needs it `accepted`: undefined when it is done,
 * {@link Released} when it is to be sent again, `MessageDeliveryFailure` when it was refused.
 */
export function outcomeFailure(o: DeliveryOutcome, what: string): Error | undefined {
  if (o.outcome === 'released' || (o.outcome === 'modified' && !o.deliveryFailed && !o.undeliverableHere)) return new Released(what);
  const refused = refusal(o);
  return refused ? new MessageDeliveryFailure(`${what} refused: ${refused}`, o) : undefined;
}

/**
 * Sends what `build` makes for the current connection and emits its outcome once, then
 * completes. Waits for a connection, the link and credit; tries again as the retry policy
 * says (`retry-policy.ts`); errors with `MessagingTimeout` at the deadline. Unsubscribing
 * drops a message that has not been written yet.
 *
 * One hand-written stream, for the cost of a message: when a connection is open, `build`
 * answers at once and the sender is attached, the message goes straight to the link;
 * otherwise the attempt waits for the connection, the build and the attach.
 */
export function deliver(context: DeliverContext, build: OutgoingBuilder, options: SendOptions = {}): Observable<DeliveryOutcome> {
  return new Observable<DeliveryOutcome>((subscriber) => {
    const counters = context.counters;
    const rules: RetryRules = { linkRetryDelayMs: context.linkRetryDelayMs, resendInDoubt: options.resendInDoubt ?? true };
    const strict = options.settlement === 'accepted';
    const retries = options.retry === undefined || options.retry < 0 ? Infinity : options.retry;
    const linkOptions = { preSettled: options.preSettled, maxMessageSize: context.maxMessageSize, durableLink: options.durableLink };
    let address = '';
    const what = () => `${options.what ?? 'message'} to "${address}"`;
    let retried = 0;
    let attemptNo = 0;
    let cancelAttempt: (() => void) | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let finished = false;
    let cancelDeadline: (() => void) | undefined;

    const finish = () => {
      finished = true;
      cancelDeadline?.();
      if (retryTimer) clearTimeout(retryTimer);
      const cancel = cancelAttempt;
      cancelAttempt = undefined;
      cancel?.();
      if (counters) counters.sends.pending--;
    };
    const fail = (e: unknown) => {
      if (finished) return;
      finish();
      if (counters) counters.sends.failed++;
      subscriber.error(e instanceof Released ? new MessageDeliveryFailure(`${e.message} and no retry is left`) : e);
    };
    const attemptFailed = (n: number) => (e: unknown) => {
      if (finished || n !== attemptNo) return;
      cancelAttempt = undefined;
      const delay = retried < retries ? retryDelayMs(e, rules) : undefined;
      if (delay === undefined) return fail(e);
      retried++;
      // never at once: the loss that failed this attempt may not have been seen everywhere yet
      retryTimer = setTimeout(attempt, delay);
    };
    const settled = (n: number) => (o: DeliveryOutcome) => {
      if (finished || n !== attemptNo) return;
      cancelAttempt = undefined;
      const failure = strict ? outcomeFailure(o, what()) : undefined;
      if (failure) return attemptFailed(n)(failure);
      finish();
      subscriber.next(o);
      subscriber.complete();
    };
    /** Sends `out` on `c`; returns how to drop it while it is not written. */
    const sendOn = (n: number, c: AmqpConnection, out: Outgoing): (() => void) => {
      address = out.address;
      const message = out.message.to === undefined ? { ...out.message, to: out.address } : out.message;
      const link = c.attachedSender(out.address, options.durableLink);
      if (link) {
        const pending = link.send(message, linkOptions);
        pending.outcome.then(settled(n), attemptFailed(n));
        return pending.cancel;
      }
      const sub = c.send(out.address, message, linkOptions).subscribe({ next: settled(n), error: attemptFailed(n) });
      return () => sub.unsubscribe();
    };
    const attempt = () => {
      retryTimer = undefined;
      const n = ++attemptNo;
      const now = context.connectionNow?.();
      let built: ReturnType<OutgoingBuilder> | undefined;
      try {
        built = now ? build(now) : undefined;
        if (now && built && !isObservable(built)) {
          cancelAttempt = sendOn(n, now, built);
          return;
        }
      } catch (e) {
        return attemptFailed(n)(e);
      }
      let drop: (() => void) | undefined;
      const ready = built ? (built as Observable<Outgoing>).pipe(map((out) => [now!, out] as const)) : waitAndBuild(context, build);
      const sub = ready.subscribe({
        next: ([c, out]) => {
          drop = sendOn(n, c, out);
        },
        error: attemptFailed(n),
      });
      cancelAttempt = () => {
        sub.unsubscribe();
        drop?.();
      };
    };

    if (counters) counters.sends.pending++;
    cancelDeadline = armDeadline(options.timeoutMs ?? context.defaultTimeoutMs, what, fail);
    attempt();
    return () => {
      if (!finished) finish();
    };
  });
}

/** The next open connection and what `build` makes for it. */
function waitAndBuild(context: DeliverContext, build: OutgoingBuilder): Observable<readonly [AmqpConnection, Outgoing]> {
  return context.nextConnection().pipe(
    mergeMap((c) => {
      const built = build(c);
      return isObservable(built) ? built.pipe(map((out) => [c, out] as const)) : of([c, built] as const);
    }),
  );
}
