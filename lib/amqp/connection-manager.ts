/**
 * The shared, self-healing connection of a transport, and sending and receiving over it.
 * @module
 */
import {
  BehaviorSubject,
  EMPTY,
  Observable,
  Subject,
  type Subscription,
  catchError,
  defer,
  merge,
  race,
  distinctUntilChanged,
  filter,
  finalize,
  firstValueFrom,
  map,
  switchMap,
  take,
  tap,
  takeUntil,
  throwIfEmpty,
  throwError,
  timer,
} from 'rxjs';
import type { Message } from 'rhea-promise';
import type { AmqpOptions, TransportHost } from '../config';
import { reconnectDelays } from '../config';
import { type MessagingError, isMessagingError } from '../errors';
import { type AmqpConnection, connect } from './amqp-connection';
import { type DeliverContext, type OutgoingBuilder, type SendOptions, deliver } from './deliver';
import type { DeliveryOutcome } from './delivery-outcome';
import { LinkRefused, type MessagingTimeout, TransportClosed } from './errors';
import { retryWhen, withJitter } from './retry-policy';
import type { IncomingDelivery } from './incoming-delivery';
import type { ReceiverLink, ReceiverSpec } from './receiver-link';
import { type ReconnectEvent, reconnecting } from './reconnect';
import { ReceiverRegistry, type ReceiverSlot } from './receiver-registry';
import { TransportCounters } from './metrics';
import { redactHost } from './redact-host';

/** Where the manager connects: the URL's hosts, vhost and TLS flag, and the resolved options. */
export interface ConnectionManagerConfig {
  /** The URL's hosts, tried in order (failover). */
  readonly hosts: readonly TransportHost[];
  /** The URL's virtual host. */
  readonly virtualHost?: string;
  /** True for `amqps://`. */
  readonly tls?: boolean;
  /** The resolved options. */
  readonly options: AmqpOptions;
  /** False: count nothing (calls, sends, deliveries, credit), for the benchmark's "counting off" figure. Default true. @internal */
  readonly counting?: boolean;
}

/**
 * Holds one connection at a time for a transport: opens it on first use, reconnects
 * with backoff and failover when it drops, and re-creates links on the new connection.
 */
export class ConnectionManager {
  /** Raw progress of the reconnect loop (the transport turns it into `state$`). */
  readonly events = new Subject<ReconnectEvent | { kind: 'closed'; error?: MessagingError }>();
  private readonly current = new BehaviorSubject<AmqpConnection | undefined>(undefined);
  private readonly closing = new Subject<void>();
  private readonly liveLinks = new Set<ReceiverLink>();
  /** The transport's metrics counters (see `metrics.ts`). */
  readonly counters = new TransportCounters();
  /** The counters the hot paths count into: {@link counters}, or none with `counting: false`. @internal */
  readonly countingInto: TransportCounters | undefined;
  /** The receivers wanted and whether each is attached (the transport's readiness). */
  readonly receivers = new ReceiverRegistry();
  private loop: Subscription | undefined;
  private failure: MessagingError | undefined;
  private closed = false;
  private closingDone: Promise<void> | undefined;
  private started = false;

  private readonly deliverContext: DeliverContext;

  /** @param config where and how to connect */
  constructor(private readonly config: ConnectionManagerConfig) {
    const { defaultSendTimeoutMs, linkRetryDelayMs, maxMessageSize } = config.options;
    this.countingInto = config.counting === false ? undefined : this.counters;
    this.deliverContext = {
      nextConnection: () => this.nextConnection(),
      connectionNow: () => this.connectionNow(),
      defaultTimeoutMs: defaultSendTimeoutMs, linkRetryDelayMs, maxMessageSize, counters: this.countingInto };
  }

  /**
   * The open connection, now and after every reconnect. Waits (queues) while disconnected;
   * errors when the transport fails for good; completes when it is closed.
   */
  readonly connection$: Observable<AmqpConnection> = defer(() => {
    if (this.failure) return throwError(() => this.failure);
    if (this.closed) return throwError(() => new TransportClosed());
    this.start();
    return this.current.pipe(
      filter((c): c is AmqpConnection => c !== undefined && c.isOpen),
      distinctUntilChanged(),
    );
  }).pipe(takeUntil(this.closing));

  /**
   * Sends what `build` makes for the current connection and emits its outcome (see
   * `deliver.ts`): waits for a connection and credit, tries again as the retry policy says,
   * errors with {@link MessagingTimeout} at the deadline. Unsubscribing before the message
   * is written cancels it.
   */
  deliver(build: OutgoingBuilder, options: SendOptions = {}): Observable<DeliveryOutcome> {
    return deliver(this.deliverContext, build, options);
  }

  /** Sends `message` to `address` (see {@link deliver}). */
  send(address: string, message: Message, options: SendOptions = {}): Observable<DeliveryOutcome> {
    return deliver(this.deliverContext, () => ({ address, message }), options);
  }

  /**
   * Attaches a receiver on every connection (re-attaching after reconnects, and after
   * `linkRetryDelayMs` when the peer detaches it) and emits each attached link. `spec`
   * may depend on the connection (its addressing mode, its peer's product).
   * Errors when the attach is refused for good, or when the transport fails.
   */
  receiverLinks(spec: ReceiverSpec | ((connection: AmqpConnection) => ReceiverSpec)): Observable<ReceiverLink> {
    const retryDelay = this.config.options.linkRetryDelayMs;
    const label = typeof spec === 'function' ? '(address chosen on connect)' : (spec.address ?? '(dynamic)');
    return defer(() => {
      const slot = this.receivers.want(label);
      return this.linksOn(spec, retryDelay, slot).pipe(
        tap({ error: (e: unknown) => slot.failed((e as Error)?.message ?? String(e), e instanceof LinkRefused ? e.address : undefined) }),
        finalize(() => slot.release()),
      );
    });
  }

  private linksOn(spec: ReceiverSpec | ((connection: AmqpConnection) => ReceiverSpec), retryDelay: number, slot: ReceiverSlot): Observable<ReceiverLink> {
    return this.connection$.pipe(
      switchMap((c) =>
        defer(() => c.receiver(typeof spec === 'function' ? spec(c) : spec)).pipe(
          retryWhen({
            count: -1,
            delayMs: (e) => (c.isOpen && isMessagingError(e) && e.retryable ? withJitter(retryDelay) : undefined),
          }),
          // a link that died with its connection comes back on the next one
          catchError((e: unknown) => (c.isOpen ? throwError(() => e) : EMPTY)),
          map((link) => this.track(link, slot)),
        ),
      ),
      // complete on close even while a link is still attached
      takeUntil(this.closing),
    );
  }

  /** Deliveries from `spec`'s source, across reconnects (see {@link receiverLinks}). */
  receive(spec: ReceiverSpec | ((connection: AmqpConnection) => ReceiverSpec)): Observable<IncomingDelivery> {
    return this.receiverLinks(spec).pipe(
      switchMap((link) => link.deliveries.pipe(catchError(() => EMPTY))),
    );
  }

  /**
   * Closes the transport: stops the reconnect loop, completes every stream (which
   * releases unsettled deliveries and detaches links) and closes the connection.
   */
  close(options: { drainMs?: number } = {}): Promise<void> {
    this.closingDone ??= this.shutDown(options.drainMs ?? 0);
    return this.closingDone;
  }

  private async shutDown(drainMs: number): Promise<void> {
    // while draining, handlers still finishing may send their replies
    await this.drain(drainMs);
    const c = this.current.hasError ? undefined : this.current.value;
    c?.prepareClose();
    this.closed = true;
    this.closing.next();
    this.closing.complete();
    this.loop?.unsubscribe();
    this.current.complete();
    if (c) await c.close();
    this.events.next({ kind: 'closed' });
    this.events.complete();
  }

  /**
   * The open connection, once: waits while disconnected, errors with {@link TransportClosed}
   * once the transport is closed (or with the reason it failed for good).
   */
  nextConnection(): Observable<AmqpConnection> {
    return this.connection$.pipe(
      take(1),
      throwIfEmpty(() => new TransportClosed()),
    );
  }

  /**
   * The connection, when one is open now (synchronous: the per-message fast path); undefined
   * while disconnected, closing or closed, when {@link nextConnection} waits or errors.
   */
  connectionNow(): AmqpConnection | undefined {
    if (this.closed || this.failure || this.current.hasError) return undefined;
    const c = this.current.value;
    return c?.isOpen ? c : undefined;
  }

  /** Sender links attached (or attaching) on the current connection now. */
  get senderLinks(): number {
    const c = this.current.hasError ? undefined : this.current.value;
    return c?.isOpen ? c.senderCount : 0;
  }

  /** Resolves once a connection is open; rejects with {@link TransportClosed} once closed, or with why it failed for good. */
  ready(): Promise<AmqpConnection> {
    return firstValueFrom(this.nextConnection());
  }

  /** Stops granting credit and waits up to `ms` for the application to settle what it holds. */
  private async drain(ms: number): Promise<void> {
    const links = [...this.liveLinks];
    for (const l of links) l.stopCredit();
    const held = () => links.reduce((n, l) => n + l.unsettledCount(), 0);
    if (ms <= 0) return;
    // what the intermediary sent before the credit stopped may still be unread in the socket:
    // let the event loop poll once (the second immediate runs after the next poll phase)
    await new Promise<void>((done) => setImmediate(() => setImmediate(done)));
    if (held() === 0) return;
    const allSettled = merge(...links.map((l) => l.settlements)).pipe(filter(() => held() === 0));
    await firstValueFrom(race(allSettled, timer(ms)), { defaultValue: undefined });
  }

  private track(link: ReceiverLink, slot: ReceiverSlot): ReceiverLink {
    this.liveLinks.add(link);
    const gone = slot.attached(link.address);
    const untrack = () => {
      this.liveLinks.delete(link);
      gone();
    };
    link.deliveries.subscribe({ complete: untrack, error: untrack });
    return link;
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    const { hosts, options } = this.config;
    const list = hosts.length > 0 ? hosts : [{ hostname: 'localhost', port: 5672 }];
    this.loop = reconnecting(
      {
        hostCount: list.length,
        label: (i) => redactHost(list[i]),
        open: (i) => connect({ host: list[i], virtualHost: this.config.virtualHost, tls: this.config.tls, options }, this.countingInto),
        delayMs: reconnectDelays(options),
      },
      (e) => {
        if (e.kind !== 'open') this.current.next(undefined);
        this.events.next(e);
      },
    ).subscribe({
      next: (c) => this.current.next(c),
      error: (e: MessagingError) => {
        this.failure = e;
        this.current.error(e);
        this.events.next({ kind: 'closed', error: e });
      },
    });
  }
}
