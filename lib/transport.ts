/**
 * The one object an application holds: the shared connection to the intermediary.
 * @module
 */
import { Observable, ReplaySubject, distinctUntilChanged, filter, share, takeUntil } from 'rxjs';
import type { Message } from 'rhea-promise';
import { type AmqpOptions, type TransportUrl, parseTransportUrl, resolveAmqpOptions } from './config';
import { type AmqpConnection, ConnectionManager, type ConnectionState, type Health, type TransportCounters, type TransportMetrics, healthOf, sameHealth, type DeliveryOutcome, type IncomingDelivery, type MessagingTransport, type ReceiverLink, type ReceiverSpec, type OutgoingBuilder, type SendOptions } from './amqp';
import { chooseAddressingMode } from './addressing';
import { logger } from './log';

const log = logger('transport');

/**
 * A connection to an AMQP 1.0 intermediary, shared by every client, server, notifier
 * and listener built on it. It connects on first use, reconnects with backoff, fails
 * over across the URL's hosts, and re-attaches links after a reconnect.
 *
 * Create it with {@link createTransport}; close it with {@link Transport.close}.
 */
export class Transport implements MessagingTransport {
  /** The parsed URL; its `toString()` hides the password. */
  readonly url: TransportUrl;
  /** The resolved options (defaults, then the options object, then the URL query). */
  readonly options: AmqpOptions;
  /** The connection's health; replays the latest state to new subscribers. */
  readonly state$: Observable<ConnectionState>;
  /**
   * Liveness and readiness (see {@link Health}), now and on every change: ready only while
   * connected with every receiver (servers, listeners, the reply link) attached; not live
   * once the transport failed for good or was closed (then it completes).
   *
   * ```ts
   * transport.health$.subscribe((h) => probe.set(h.ready ? 200 : 503, h.reason));
   * ```
   */
  readonly health$: Observable<Health>;
  /**
   * A {@link TransportMetrics} snapshot every `metricsIntervalMs` (default 5000; with 0 it
   * emits nothing); each emission starts a new latency interval. Shared by its
   * subscribers; its timer does not keep the process alive; completes on close.
   */
  readonly metrics$: Observable<TransportMetrics>;
  private readonly manager: ConnectionManager;
  private readonly singletons = new Map<symbol, unknown>();
  private connectionState: TransportMetrics['connection']['state'] = 'idle';
  private opened = false;
  private reconnects = 0;

  /**
   * @param url the transport URL (see {@link createTransport})
   * @param options option overrides
   * @param internal `counting: false` counts nothing (metrics stay at zero): only for the
   *   benchmark's figure of what counting costs. @internal
   */
  constructor(url: string | TransportUrl, options?: Partial<AmqpOptions>, internal: { readonly counting?: boolean } = {}) {
    this.url = typeof url === 'string' ? parseTransportUrl(url) : url;
    this.options = resolveAmqpOptions(options ?? {}, this.url.query);
    this.manager = new ConnectionManager({
      hosts: this.url.hosts,
      virtualHost: this.url.virtualHost,
      tls: this.url.scheme === 'amqps',
      options: this.options,
      counting: internal.counting,
    });
    const state = new ReplaySubject<ConnectionState>(1);
    const health = this.watchHealth(state);
    this.health$ = health.pipe(distinctUntilChanged(sameHealth));
    this.metrics$ = this.everyInterval(state.pipe(filter((s) => s.state === 'closed')));
    this.manager.events.subscribe((e) => {
      if (e.kind === 'open' && this.opened) this.reconnects++;
      if (e.kind === 'open') this.opened = true;
      this.connectionState = e.kind;
      log('%s %s', String(this.url), e.kind === 'disconnected' ? `disconnected from ${e.host}: ${e.error.message}; retry in ${e.retryInMs} ms` : 'host' in e ? `${e.kind} ${e.host}` : e.kind);
      switch (e.kind) {
        case 'connecting':
          return state.next({ state: 'connecting', host: e.host, attempt: e.attempt });
        case 'open': {
          const props = e.connection.remoteProperties;
          const product = typeof props.product === 'string' ? props.product : undefined;
          return state.next({ state: 'open', host: e.host, product, addressing: this.addressingFor(e.connection) });
        }
        case 'disconnected':
          return state.next({ state: 'disconnected', host: e.host, error: e.error, retryInMs: e.retryInMs });
        case 'closed':
          state.next(e.error ? { state: 'closed', error: e.error } : { state: 'closed' });
          return state.complete();
      }
    });
    this.state$ = state.asObservable();
  }

  /** Health from the latest connection state and the receivers' status; replays the last one, also after it completes with the state. */
  private watchHealth(state: Observable<ConnectionState>): Observable<Health> {
    let latest: ConnectionState | undefined;
    const receivers = this.manager.receivers;
    const health = new ReplaySubject<Health>(1);
    health.next(healthOf(undefined, receivers.status));
    state.subscribe({
      next: (s) => health.next(healthOf((latest = s), receivers.status)),
      complete: () => health.complete(),
    });
    receivers.status$.subscribe((r) => health.next(healthOf(latest, r)));
    return health;
  }

  /** The transport's counters (kept by its connection manager; read them with {@link metrics}); none when counting is off. @internal */
  get counters(): TransportCounters | undefined {
    return this.manager.countingInto;
  }

  /**
   * A snapshot of the transport's metrics now (see {@link TransportMetrics}): connection
   * state and reconnects, calls, sends, deliveries, links and credit.
   *
   * ```ts
   * const { calls } = transport.metrics();
   * console.log(`${calls.pending} calls in flight, p99 ${calls.latencyMs.p99} ms`);
   * ```
   */
  metrics(): TransportMetrics {
    return this.manager.counters.snapshot(
      { state: this.connectionState, reconnects: this.reconnects },
      { senders: this.manager.senderLinks, receivers: this.manager.receivers.status.attached },
    );
  }

  private everyInterval(closed: Observable<unknown>): Observable<TransportMetrics> {
    const ms = this.options.metricsIntervalMs;
    return new Observable<TransportMetrics>((subscriber) => {
      if (ms <= 0) return undefined;
      const timer = setInterval(() => {
        subscriber.next(this.metrics());
        this.manager.counters.resetInterval();
      }, ms);
      timer.unref?.();
      return () => clearInterval(timer);
    }).pipe(takeUntil(closed), share());
  }

  /** The open connection, now and after every reconnect (waits while disconnected). @internal */
  get connection$(): Observable<AmqpConnection> {
    return this.manager.connection$;
  }

  /** The open connection, once: waits while disconnected, errors with `TransportClosed` after {@link close}. @internal */
  nextConnection(): Observable<AmqpConnection> {
    return this.manager.nextConnection();
  }

  /** The addressing syntax to use on `connection`: the option, or in `dynamic` mode the peer's `product`. @internal */
  addressingFor(connection: AmqpConnection): 'legacy' | 'routable' {
    return chooseAddressingMode(this.options.addressingMode, connection.remoteProperties);
  }

  /**
   * Sends one message and emits its outcome once: waits for the connection and credit,
   * sends again after a connection loss (and, with `settlement: 'accepted'`, after a
   * release) up to `retry` times, and errors with `MessagingTimeout` at the deadline
   * (`timeoutMs`, default the `defaultSendTimeoutMs` option). The policy of every send
   * oslo-rx makes.
   *
   * ```ts
   * const outcome = await firstValueFrom(transport.send('my-queue', { body: 'hi' }, { settlement: 'accepted' }));
   * ```
   */
  send(address: string, message: Message, options?: SendOptions): Observable<DeliveryOutcome> {
    return this.manager.send(address, message, options);
  }

  /** Like {@link send}, with the message built for the connection it goes out on (once per attempt). @internal */
  deliver(build: OutgoingBuilder, options?: SendOptions): Observable<DeliveryOutcome> {
    return this.manager.deliver(build, options);
  }

  /** Receiver links on every connection (see `ConnectionManager.receiverLinks`). @internal */
  receiverLinks(spec: ReceiverSpec | ((connection: AmqpConnection) => ReceiverSpec)): Observable<ReceiverLink> {
    return this.manager.receiverLinks(spec);
  }

  /** Deliveries from a source across reconnects (see `ConnectionManager.receive`). */
  receive(spec: ReceiverSpec | ((connection: AmqpConnection) => ReceiverSpec)): Observable<IncomingDelivery> {
    return this.manager.receive(spec);
  }

  /** Resolves once connected; rejects if the transport fails for good (e.g. bad credentials). */
  ready(): Promise<AmqpConnection> {
    return this.manager.ready();
  }

  /**
   * One instance per transport of something built on it (the RPC reply stream uses it),
   * created on first request.
   * @internal
   */
  shared<T>(key: symbol, create: () => T): T {
    if (!this.singletons.has(key)) this.singletons.set(key, create());
    return this.singletons.get(key) as T;
  }

  /**
   * Closes the transport: stops granting credit, waits up to `drainMs` (default 0) for
   * held deliveries to be settled, releases the rest, completes every stream and
   * closes the connection.
   */
  close(options?: { drainMs?: number }): Promise<void> {
    return this.manager.close(options);
  }
}

/**
 * Creates a {@link Transport} for `url`, e.g. `amqp://user:pass@host1:5672,host2:5672/vhost?idle_timeout=30`.
 * Nothing connects until the first client, server or `ready()` needs it.
 *
 * @throws InvalidTransportURL for a malformed URL, InvalidOption for a bad option
 */
export function createTransport(url: string, options?: Partial<AmqpOptions>): Transport {
  return new Transport(url, options);
}
