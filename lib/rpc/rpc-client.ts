/**
 * The RPC client: calls as single-value Observables, casts, fanout, prepare().
 * @module
 */
import { Observable, type Subscription, defer, map, throwError } from 'rxjs';
import { type AmqpConnection, type CallEnd, type MessagingTransport, type Outgoing, armDeadline, callEndFor } from '../amqp';
import { type AddressTarget, addresserFor } from '../addressing';
import { type RpcRequest, buildCallMessage, buildCastMessage, newCallMessageId, versionIsCompatible } from '../wire';
import { startSendSpan, tracedBy } from '../tracing';
import { InvalidTarget, RemoteError, RpcVersionCapError } from './errors';
import { replyRouterOf } from './reply-router';
import { Target, type TargetFields, clientTarget } from './target';

/** Options of an {@link RpcClient}. */
export interface RpcClientOptions {
  /** How long a call waits for its reply. Default: the `rpcResponseTimeoutMs` option (60 s). */
  readonly timeoutMs?: number;
  /** The highest version this client may send (oslo's `version_cap`). */
  readonly versionCap?: string;
  /** Resends allowed after a release or a connection loss: -1 (default) = until the deadline. */
  readonly retry?: number;
  /**
   * Ask the server for heartbeats every half of this; the call then fails when none arrives
   * within it (oslo's call monitor), so a slow method is told apart from a dead server.
   * Use whole seconds of at least 2000 ms: Python servers heartbeat every `int(s) / 2`
   * seconds and send none when that is under one second.
   */
  readonly callMonitorTimeoutMs?: number;
}

/** What {@link RpcClient.prepare} may override: target fields and client options. */
export interface PrepareOptions extends TargetFields, RpcClientOptions {}

/** A request context: a plain JSON object (oslo's `RequestContext.to_dict()`). */
export type RpcContext = Readonly<Record<string, unknown>>;

/**
 * Calls and casts methods on the servers of a {@link Target}.
 *
 * ```ts
 * const client = new RpcClient(transport, { topic: 'compute' });
 * const sum = await firstValueFrom(client.call<number>('add', { a: 1, b: 2 }));
 * await firstValueFrom(client.prepare({ fanout: true }).cast('refresh'));
 * ```
 */
export class RpcClient {
  /** The target messages go to. */
  readonly target: Target;
  /** The options in effect. */
  readonly options: Readonly<RpcClientOptions>;

  /**
   * @param transport the transport to send on
   * @param target where messages go (needs a topic)
   * @param options timeouts, version cap, retries
   * @throws InvalidTarget when the target has no topic
   */
  constructor(
    private readonly transport: MessagingTransport,
    target: TargetFields,
    options: RpcClientOptions = {},
  ) {
    this.target = clientTarget(target);
    this.options = { ...options };
  }

  /** A client with some target fields or options overridden (oslo's `prepare()`). */
  prepare(overrides: PrepareOptions): RpcClient {
    const { timeoutMs, versionCap, retry, callMonitorTimeoutMs, ...target } = overrides;
    const options = Object.fromEntries(
      Object.entries({ timeoutMs, versionCap, retry, callMonitorTimeoutMs }).filter(([, v]) => v !== undefined),
    );
    return new RpcClient(this.transport, this.target.with(target), { ...this.options, ...options });
  }

  /** True when the version cap allows sending `version` (always true without a cap). */
  canSendVersion(version?: string): boolean {
    return this.options.versionCap === undefined || versionIsCompatible(this.options.versionCap, version ?? this.target.version);
  }

  /**
   * Calls `method` on one server of the target and emits its result once, then completes.
   * Cold: nothing is sent until subscribed; unsubscribing cancels (a late reply is dropped).
   * Errors with {@link RemoteError} when the method raised, `MessagingTimeout` when
   * no reply came in time, `MessageDeliveryFailure` when the intermediary refused the call,
   * and a retryable `ConnectionLost` (`inDoubt`: the method may or may not have run) at once
   * when the connection drops after the request was sent. A call made while disconnected
   * waits for the reconnect (within `timeoutMs`) and goes out then. `timeoutMs: Infinity`
   * sets no deadline.
   */
  call<R = unknown>(method: string, args: Readonly<Record<string, unknown>> = {}, context: RpcContext = {}): Observable<R> {
    return new Observable<R>((subscriber) => {
      if (this.target.fanout) return subscriber.error(new InvalidTarget('call() cannot fan out', this.target));
      const capError = this.checkVersionCap();
      if (capError) return subscriber.error(capError);
      const transport = this.transport;
      const timeoutMs = this.options.timeoutMs ?? transport.options.rpcResponseTimeoutMs;
      const monitorMs = this.options.callMonitorTimeoutMs;
      const router = replyRouterOf(transport);
      const counters = transport.counters;
      const id = newCallMessageId();
      const request = this.request(method, args, context, monitorMs);
      const span = startSendSpan('call', method, this.target.topic ?? '');
      const startedAt = counters?.callStarted() ?? 0;
      let ended = false;
      let send: Subscription | undefined;
      let cancelDeadline: (() => void) | undefined;
      let cancelMonitor: (() => void) | undefined;
      /** Ends the call once, as `how`; false when it had ended already. */
      const end = (how: CallEnd, error?: unknown): boolean => {
        if (ended) return false;
        ended = true;
        cancelDeadline?.();
        cancelMonitor?.();
        send?.unsubscribe();
        router.release(id);
        counters?.callEnded(how, startedAt);
        if (how === 'cancelled') span?.cancel();
        else span?.end(error);
        return true;
      };
      const fail = (e: unknown) => {
        if (end(callEndFor(e), e)) subscriber.error(e);
      };
      // oslo's call monitor: each heartbeat proves the server is alive and restarts the clock
      const watch = () => {
        cancelMonitor?.();
        cancelMonitor = armDeadline(monitorMs, () => `call "${method}": call monitor`, fail);
      };
      router.register(id, {
        next: (e) => {
          if (e.kind === 'heartbeat') return watch();
          if (e.kind === 'failure') return fail(new RemoteError(e.failure));
          if (end('ok')) {
            subscriber.next(e.result as R);
            subscriber.complete();
          }
        },
        error: fail,
        complete: () => undefined,
      });
      cancelDeadline = armDeadline(timeoutMs, () => `call "${method}" waiting for a reply`, fail);
      watch();
      let replyTo = '';
      // the request carries the reply address of the connection it goes out on
      const build = (c: AmqpConnection): Outgoing | Observable<Outgoing> => {
        const outgoing = (address: string): Outgoing => {
          replyTo = address;
          const to = this.addressOn(c);
          const message = buildCallMessage(request, { to, replyTo: address, timeoutMs, messageId: id, pythonExactJson: transport.options.pythonExactJson });
          return { address: to, message: span ? span.inject(message) : message };
        };
        const known = router.replyAddressNow(c);
        return known === undefined ? router.replyAddressOn(c).pipe(map(outgoing)) : outgoing(known);
      };
      send = transport
        .deliver(build, {
          preSettled: transport.options.preSettled.includes('rpc-call'),
          settlement: 'accepted',
          // the call's own deadline bounds the send too
          timeoutMs: Infinity,
          retry: this.options.retry ?? -1,
          // its reply link died with the connection: the caller hears of it at once
          resendInDoubt: false,
          what: `call "${method}"`,
        })
        .subscribe({ next: () => router.sentOn(id, replyTo), error: fail });
      if (ended) send.unsubscribe();
      return () => {
        end('cancelled');
      };
    });
  }

  /**
   * Sends `method` to one server of the target (or to all of them with `fanout`) without
   * waiting for a result. Completes when the intermediary has the message.
   */
  cast(method: string, args: Readonly<Record<string, unknown>> = {}, context: RpcContext = {}): Observable<void> {
    return defer(() => {
      const capError = this.checkVersionCap();
      if (capError) return throwError(() => capError);
      const request = this.request(method, args, context, undefined);
      const span = startSendSpan('cast', method, this.target.topic ?? '');
      return this.transport
        .deliver(
          (c) => {
            const to = this.addressOn(c);
            const message = buildCastMessage(request, { to, pythonExactJson: this.transport.options.pythonExactJson });
            return { address: to, message: span ? span.inject(message) : message };
          },
          {
            preSettled: this.transport.options.preSettled.includes('rpc-cast'),
            settlement: 'accepted',
            timeoutMs: this.transport.options.defaultSendTimeoutMs,
            retry: this.options.retry ?? -1,
            what: `cast "${method}"`,
          },
        )
        .pipe(
          map(() => undefined),
          tracedBy(span),
        );
    });
  }

  private checkVersionCap(): RpcVersionCapError | undefined {
    const { versionCap } = this.options;
    if (versionCap === undefined || this.canSendVersion()) return undefined;
    return new RpcVersionCapError(this.target.version ?? '', versionCap);
  }

  private request(method: string, args: Readonly<Record<string, unknown>>, context: RpcContext, monitorMs: number | undefined): RpcRequest {
    return {
      method,
      args,
      context,
      ...(this.target.namespace === undefined ? {} : { namespace: this.target.namespace }),
      ...(this.target.version === undefined ? {} : { version: this.target.version }),
      ...(monitorMs === undefined ? {} : { callMonitorTimeoutMs: monitorMs }),
    };
  }

  /** The target's address on `connection` (its addressing mode may differ per peer). */
  private addressOn(connection: AmqpConnection): string {
    return addresserFor(this.transport, connection).resolve(this.target as AddressTarget, 'rpc');
  }
}
