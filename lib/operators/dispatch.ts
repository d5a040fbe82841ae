/**
 * The `dispatch` operator: route RPC requests to endpoint methods and answer them.
 * @module
 */
import { Observable, type OperatorFunction, type Subscription, isObservable, mergeMap } from 'rxjs';
import type * as t from 'io-ts';
import { type AccessPolicy, EndpointTable, callEndpoint } from '../rpc/dispatcher';
import type { IncomingRequest } from '../rpc/incoming-request';
import { logger } from '../log';
import { type FailureOutcome, type FailureStrategy, failureOutcome, settleFailure } from './failure-strategy';

const log = logger('dispatch');
const logSendFailure = (method: string) => (e: unknown) => log('could not answer %s: %s', method, (e as Error)?.message ?? e);

/** io-ts codecs that validate one method's arguments and result. */
export interface MethodCodecs {
  /** Validates (and may transform) the arguments before the method runs. */
  readonly args?: t.Decoder<unknown, unknown>;
  /** Validates the result, and encodes it, before it is sent. */
  readonly result?: t.Mixed;
}

/** Options of {@link dispatch}. */
export interface DispatchOptions {
  /**
   * Which methods may be called; default: all whose names do not start with `_`. Called with
   * `(endpoint, method)` for each request, as oslo does (so it need not be pure).
   */
  readonly accessPolicy?: AccessPolicy;
  /** How many requests run at once (mergeMap concurrency). Default: unbounded. */
  readonly concurrency?: number;
  /** Per-method codecs; a request failing its args codec gets a `ValueError` reply. */
  readonly codecs?: Readonly<Record<string, MethodCodecs>>;
  /** Settle each request as accepted once it is answered. Default true; false leaves `ack`/`requeue` to you. */
  readonly autoAck?: boolean;
  /**
   * How to settle a request whose method failed (threw, rejected, errored, or failed its
   * codecs). Default `accept` (with `autoAck: false`, none: the request is left to you).
   * With `accept` or `reject` the caller is answered with the failure; with `requeue` or
   * `modified-failed` it is not, since a redelivery will answer it (bound the retries with
   * `rpcServer(..., { maxDeliveries })`).
   */
  readonly failureStrategy?: FailureStrategy;
}

/**
 * What {@link dispatch} emits for each request it handled: `replied` (a call answered with
 * its result), `handled` (a cast that ran), or `failed` (the error was sent to a caller).
 */
export type Dispatched =
  | { readonly request: IncomingRequest; readonly outcome: 'replied' | 'handled'; readonly result: unknown }
  | { readonly request: IncomingRequest; readonly outcome: 'failed'; readonly error: unknown };

function invalidArguments(method: string, reason: string): Error {
  return Object.assign(new Error(`invalid arguments for ${method}: ${reason}`), { pythonClass: 'ValueError', pythonModule: 'builtins' });
}

function validate(codec: t.Decoder<unknown, unknown> | undefined, value: unknown, method: string): unknown {
  if (!codec) return value;
  const r = codec.decode(value);
  if (r._tag === 'Left') {
    const path = r.left[0]?.context.map((c) => c.key).filter(Boolean).join('.') ?? '';
    throw invalidArguments(method, `${path || 'value'} does not match ${codec.name}`);
  }
  return r.right;
}

/**
 * Routes each request to the endpoint method that serves it (oslo's rules: namespace,
 * version compatibility, access policy), replies with the result — or with the error,
 * in oslo's failure format — and acks the request (one whose method failed is settled as
 * `failureStrategy` says; a request whose handling is cancelled
 * by unsubscribing is requeued instead). While a method runs, callers that use a
 * call monitor get heartbeats. Methods may return a value, a Promise or an Observable (its
 * last value is the result).
 *
 * ```ts
 * rpcServer(transport, { topic: 'calc', server: 's1' })
 *   .pipe(dispatch([{ add: (_ctx, { a, b }) => a + b }], { concurrency: 10 }))
 *   .subscribe();
 * ```
 */
export function dispatch(endpoints: readonly object[], options: DispatchOptions = {}): OperatorFunction<IncomingRequest, Dispatched> {
  const autoAck = options.autoAck ?? true;
  const strategy: FailureStrategy | undefined = options.failureStrategy ?? (autoAck ? 'accept' : undefined);
  // read once: the endpoints' targets (and versions), and the codecs by method name
  const table = new EndpointTable(endpoints, options.accessPolicy);
  const codecsOf = new Map(Object.entries(options.codecs ?? {}));
  const handle = (request: IncomingRequest): Observable<Dispatched> =>
    new Observable<Dispatched>((subscriber) => {
      const method = request.method;
      const codecs = codecsOf.get(method);
      // finished: the Dispatched value is out (settling is up to us); cancelled: the subscriber went first
      let finished = false;
      let cancelled = false;
      let failure: { error: unknown; outcome: FailureOutcome | undefined } | undefined;
      let running: Subscription | undefined;
      let heartbeats: ReturnType<typeof setInterval> | undefined;
      const monitor = request.callMonitorTimeoutMs;
      // oslo sends heartbeats every half of the monitor timeout, never more often than once a second
      if (request.isCall && monitor !== undefined && monitor >= 2000) {
        heartbeats = setInterval(() => void request.heartbeat().catch(logSendFailure(method)), Math.floor(monitor / 2000) * 1000);
      }
      const stopHeartbeats = () => {
        if (heartbeats !== undefined) clearInterval(heartbeats);
        heartbeats = undefined;
      };
      /** Emits what became of the request, then settles it as asked. */
      const finish = (dispatched: Dispatched) => {
        if (cancelled) return;
        finished = true;
        stopHeartbeats();
        subscriber.next(dispatched);
        if (failure) {
          if (failure.outcome) settleFailure(request, failure.outcome, failure.error);
        } else if (autoAck) request.ack();
        subscriber.complete();
      };
      /** The method (or its codecs) failed: answer the caller unless a redelivery will. */
      const failed = (error: unknown) => {
        if (cancelled) return;
        let answer: Promise<void>;
        try {
          failure = { error, outcome: strategy === undefined ? undefined : failureOutcome(strategy, error) };
          answer = failure.outcome === 'requeue' || failure.outcome === 'modified-failed' ? Promise.resolve() : request.fail(error);
        } catch (e) {
          // a failure strategy (or an answer) that throws ends the stream; what is held is requeued
          subscriber.error(e);
          return;
        }
        void answer.catch(logSendFailure(method)).then(() => finish({ request, outcome: 'failed', error }));
      };
      /** The method's result: encode it, answer the caller. */
      const succeeded = (value: unknown) => {
        if (cancelled) return;
        let result: unknown;
        let sent: Promise<void>;
        try {
          result = codecs?.result ? codecs.result.encode(validate(codecs.result, value, method)) : value;
          sent = request.reply(result);
        } catch (e) {
          failed(e);
          return;
        }
        sent.then(
          () => finish({ request, outcome: request.isCall ? 'replied' : 'handled', result }),
          // the reply could not be sent or encoded (the caller was told what it could be)
          (e: unknown) => {
            logSendFailure(method)(e);
            finish({ request, outcome: 'failed', error: e });
          },
        );
      };
      let value: unknown;
      try {
        const endpoint = table.endpointFor(request);
        value = callEndpoint(endpoint, method, request.context, validate(codecs?.args, request.args, method));
      } catch (e) {
        failed(e);
        return teardown;
      }
      if (isObservable(value)) {
        // its last value is the result; none: null
        let last: unknown = null;
        running = value.subscribe({ next: (v) => (last = v), error: failed, complete: () => succeeded(last) });
      } else if (value instanceof Promise) {
        value.then(succeeded, failed);
      } else {
        succeeded(value);
      }
      return teardown;

      function teardown(): void {
        cancelled = true;
        stopHeartbeats();
        running?.unsubscribe();
        // cancelled before it was handled (unsubscribed): give it back
        if (!finished) request.requeue();
      }
    });
  return (source) => source.pipe(mergeMap(handle, options.concurrency ?? Infinity));
}
