/**
 * The `dispatch` operator: route RPC requests to endpoint methods and answer them.
 * @module
 */
import { type Observable, type OperatorFunction, catchError, defaultIfEmpty, finalize, from, interval, isObservable, last, map, mergeMap, of, takeUntil, tap, Subject } from 'rxjs';
import type * as t from 'io-ts';
import { type AccessPolicy, findEndpointMethod } from '../rpc/dispatcher';
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
  /** Which methods may be called; default: all whose names do not start with `_`. */
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

function toObservable(value: unknown): Observable<unknown> {
  if (isObservable(value)) return value;
  if (value instanceof Promise) return from(value);
  return of(value);
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
  const handle = (request: IncomingRequest): Observable<Dispatched> => {
    const done = new Subject<void>();
    const monitor = request.callMonitorTimeoutMs;
    // oslo sends heartbeats every half of the monitor timeout, never more often than once a second
    if (request.isCall && monitor !== undefined && monitor >= 2000) {
      interval(Math.floor(monitor / 2000) * 1000).pipe(takeUntil(done)).subscribe(() => void request.heartbeat().catch(logSendFailure(request.method)));
    }
    const codecs = options.codecs?.[request.method];
    let finished = false;
    let failure: { error: unknown; outcome: FailureOutcome | undefined } | undefined;
    const failed = (error: unknown): Dispatched => ({ request, outcome: 'failed', error });
    return of(request).pipe(
      mergeMap((r) => {
        const method = findEndpointMethod(endpoints, r, options.accessPolicy);
        const args = validate(codecs?.args, r.args, r.method);
        return toObservable(method(r.context, args));
      }),
      defaultIfEmpty(null),
      last(),
      map((result) => (codecs?.result ? codecs.result.encode(validate(codecs.result, result, request.method)) : result)),
      mergeMap((result) =>
        from(request.reply(result)).pipe(
          map((): Dispatched => ({ request, outcome: request.isCall ? 'replied' : 'handled', result })),
          // the reply could not be sent or encoded (the caller was told what it could be)
          catchError((e: unknown) => {
            logSendFailure(request.method)(e);
            return of(failed(e));
          }),
        ),
      ),
      catchError((error: unknown) => {
        failure = { error, outcome: strategy === undefined ? undefined : failureOutcome(strategy, error) };
        const answer = failure.outcome === 'requeue' || failure.outcome === 'modified-failed' ? Promise.resolve() : request.fail(error);
        return from(answer.catch(logSendFailure(request.method))).pipe(map(() => failed(error)));
      }),
      tap({ complete: () => (finished = true) }),
      finalize(() => {
        done.next();
        done.complete();
        // handled: settle as asked; cancelled before it was (unsubscribed): give it back
        if (!finished) request.requeue();
        else if (failure) {
          if (failure.outcome) settleFailure(request, failure.outcome, failure.error);
        } else if (autoAck) request.ack();
      }),
    );
  };
  return (source) => source.pipe(mergeMap(handle, options.concurrency ?? Infinity));
}
