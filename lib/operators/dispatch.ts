/**
 * The `dispatch` operator: route RPC requests to endpoint methods and answer them.
 * @module
 */
import { Observable, type OperatorFunction, type Subscriber, type Subscription, isObservable, mergeMap } from 'rxjs';
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

/** What {@link dispatch} fixes when it is made: the endpoint table, the codecs, how to settle. */
interface DispatchSetup {
  readonly table: EndpointTable;
  readonly codecsOf: ReadonlyMap<string, MethodCodecs>;
  readonly autoAck: boolean;
  readonly strategy: FailureStrategy | undefined;
}

/**
 * The handling of one request, from calling its method to settling it: what the
 * Observable of one request runs (a class rather than closures, so a request allocates one
 * object and the callbacks it hands out).
 */
class Handling {
  /** The Dispatched value is out: settling is up to us, not to a cancel. */
  private finished = false;
  /** The subscriber went (or the handling ended): nothing more is emitted or settled. */
  private cancelled = false;
  private failure: { error: unknown; outcome: FailureOutcome | undefined } | undefined;
  private running: Subscription | undefined;
  private heartbeats: ReturnType<typeof setInterval> | undefined;
  private readonly codecs: MethodCodecs | undefined;

  constructor(
    private readonly request: IncomingRequest,
    private readonly subscriber: Subscriber<Dispatched>,
    private readonly setup: DispatchSetup,
  ) {
    this.codecs = setup.codecsOf.get(request.method);
  }

  /** Starts heartbeats if the caller wants them, and runs the method. */
  start(): void {
    const request = this.request;
    const monitor = request.callMonitorTimeoutMs;
    // oslo sends heartbeats every half of the monitor timeout, never more often than once a second
    if (request.isCall && monitor !== undefined && monitor >= 2000) {
      this.heartbeats = setInterval(() => void request.heartbeat().catch(logSendFailure(request.method)), Math.floor(monitor / 2000) * 1000);
    }
    let value: unknown;
    try {
      const endpoint = this.setup.table.endpointFor(request);
      value = request.withTraceContext(() => callEndpoint(endpoint, request.method, request.context, validate(this.codecs?.args, request.args, request.method)));
    } catch (e) {
      this.failed(e);
      return;
    }
    if (isObservable(value)) {
      // its last value is the result; none: null
      let last: unknown = null;
      this.running = value.subscribe({
        next: (v) => (last = v),
        error: (e: unknown) => this.failed(e),
        complete: () => this.succeeded(last),
      });
    } else if (value instanceof Promise) {
      value.then(
        (v: unknown) => this.succeeded(v),
        (e: unknown) => this.failed(e),
      );
    } else {
      this.succeeded(value);
    }
  }

  /** Unsubscribed, or done: stop; a request not handled yet goes back to the intermediary. */
  teardown(): void {
    this.cancelled = true;
    this.stopHeartbeats();
    this.running?.unsubscribe();
    if (!this.finished) this.request.requeue();
  }

  /** The method's result: encode it, answer the caller. */
  private succeeded(value: unknown): void {
    if (this.cancelled) return;
    const request = this.request;
    const codec = this.codecs?.result;
    let result: unknown;
    let sent: Promise<void>;
    try {
      result = codec ? codec.encode(validate(codec, value, request.method)) : value;
      sent = request.reply(result);
    } catch (e) {
      this.failed(e);
      return;
    }
    sent.then(
      () => this.finish({ request, outcome: request.isCall ? 'replied' : 'handled', result }),
      // the reply could not be sent or encoded (the caller was told what it could be)
      (e: unknown) => {
        logSendFailure(request.method)(e);
        this.finish({ request, outcome: 'failed', error: e });
      },
    );
  }

  /** The method (or its codecs) failed: answer the caller unless a redelivery will. */
  private failed(error: unknown): void {
    if (this.cancelled) return;
    const { request, setup } = this;
    let answer: Promise<void>;
    try {
      const outcome = setup.strategy === undefined ? undefined : failureOutcome(setup.strategy, error);
      this.failure = { error, outcome };
      answer = outcome === 'requeue' || outcome === 'modified-failed' ? Promise.resolve() : request.fail(error);
    } catch (e) {
      // a failure strategy (or an answer) that throws ends the stream; the request is requeued
      this.subscriber.error(e);
      return;
    }
    void answer.catch(logSendFailure(request.method)).then(() => this.finish({ request, outcome: 'failed', error }));
  }

  /** Emits what became of the request, then settles it as asked. */
  private finish(dispatched: Dispatched): void {
    if (this.cancelled) return;
    this.finished = true;
    this.stopHeartbeats();
    this.subscriber.next(dispatched);
    const failure = this.failure;
    if (failure) {
      if (failure.outcome) settleFailure(this.request, failure.outcome, failure.error);
    } else if (this.setup.autoAck) this.request.ack();
    this.subscriber.complete();
  }

  private stopHeartbeats(): void {
    if (this.heartbeats !== undefined) clearInterval(this.heartbeats);
    this.heartbeats = undefined;
  }
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
 * The endpoints' targets are read when `dispatch` is called (a `target` changed later is not
 * seen); their methods and the access policy are looked up per request.
 *
 * ```ts
 * rpcServer(transport, { topic: 'calc', server: 's1' })
 *   .pipe(dispatch([{ add: (_ctx, { a, b }) => a + b }], { concurrency: 10 }))
 *   .subscribe();
 * ```
 * @throws InvalidTarget when an endpoint's `target` has a namespace, version or legacy namespaces of the wrong type
 */
export function dispatch(endpoints: readonly object[], options: DispatchOptions = {}): OperatorFunction<IncomingRequest, Dispatched> {
  const autoAck = options.autoAck ?? true;
  const setup: DispatchSetup = {
    // read once: the endpoints' targets (and versions), and the codecs by method name
    table: new EndpointTable(endpoints, options.accessPolicy),
    codecsOf: new Map(Object.entries(options.codecs ?? {})),
    autoAck,
    strategy: options.failureStrategy ?? (autoAck ? 'accept' : undefined),
  };
  const handle = (request: IncomingRequest): Observable<Dispatched> =>
    new Observable<Dispatched>((subscriber) => {
      const handling = new Handling(request, subscriber, setup);
      handling.start();
      return () => handling.teardown();
    });
  return (source) => source.pipe(mergeMap(handle, options.concurrency ?? Infinity));
}
