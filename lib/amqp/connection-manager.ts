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
  firstValueFrom,
  from,
  map,
  mergeMap,
  retry,
  switchMap,
  take,
  takeUntil,
  throwIfEmpty,
  throwError,
  timeout,
  timer,
} from 'rxjs';
import type { Message } from 'rhea-promise';
import type { AmqpOptions, TransportHost } from '../config';
import { reconnectDelays } from '../config';
import type { MessagingError } from '../errors';
import { type AmqpConnection, connect } from './amqp-connection';
import type { DeliveryOutcome } from './delivery-outcome';
import { MessagingTimeout, TransportClosed } from './errors';
import type { IncomingDelivery } from './incoming-delivery';
import type { ReceiverLink, ReceiverSpec } from './receiver-link';
import { type ReconnectEvent, reconnecting } from './reconnect';
import { redactHost } from './redact-host';

/** Options of `send`. */
export interface SendOptions {
  /** Send pre-settled (no outcome; done once written with credit). Default false. */
  readonly preSettled?: boolean;
  /**
   * Deadline for the whole send, queueing included. Default: the `defaultSendTimeoutMs` option.
   * `Infinity` sets none, for callers that bound the operation themselves.
   */
  readonly timeoutMs?: number;
  /** How many times to resend after a connection or link loss: -1 (default) = until the deadline. */
  readonly retry?: number;
}

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
  private loop: Subscription | undefined;
  private failure: MessagingError | undefined;
  private closed = false;
  private closingDone: Promise<void> | undefined;
  private started = false;

  /** @param config where and how to connect */
  constructor(private readonly config: ConnectionManagerConfig) {}

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
   * Sends `message` to `address` and emits the outcome, then completes. Waits for a
   * connection and for link credit; resends after a connection loss (up to `retry`);
   * errors with {@link MessagingTimeout} at the deadline. Unsubscribing before the
   * message is written cancels it.
   */
  send(address: string, message: Message, options: SendOptions = {}): Observable<DeliveryOutcome> {
    const deadline = options.timeoutMs ?? this.config.options.defaultSendTimeoutMs;
    const retries = options.retry === undefined || options.retry < 0 ? Infinity : options.retry;
    const attempt = this.nextConnection().pipe(
      mergeMap((c) => from(c.sender(address))),
      mergeMap(
        (link) =>
          new Observable<DeliveryOutcome>((subscriber) => {
            const { outcome, cancel } = link.send(
              { ...message, to: message.to ?? address },
              { preSettled: options.preSettled, maxMessageSize: this.config.options.maxMessageSize },
            );
            outcome.then(
              (o) => {
                subscriber.next(o);
                subscriber.complete();
              },
              (e: unknown) => subscriber.error(e),
            );
            return cancel;
          }),
      ),
    );
    const retried = attempt.pipe(
      retry({
        count: retries,
        delay: (e: MessagingError) => (e?.retryable ? timer(0) : throwError(() => e)),
      }),
    );
    // an infinite deadline means the caller bounds the whole operation itself
    return Number.isFinite(deadline)
      ? retried.pipe(
          timeout({
            first: deadline,
            with: () => throwError(() => new MessagingTimeout(`send to "${address}" timed out after ${deadline} ms`, deadline)),
          }),
        )
      : retried;
  }

  /**
   * Attaches a receiver on every connection (re-attaching after reconnects, and after
   * `linkRetryDelayMs` when the peer detaches it) and emits each attached link. `spec`
   * may depend on the connection (its addressing mode, its peer's product).
   * Errors when the attach is refused for good, or when the transport fails.
   */
  receiverLinks(spec: ReceiverSpec | ((connection: AmqpConnection) => ReceiverSpec)): Observable<ReceiverLink> {
    const retryDelay = this.config.options.linkRetryDelayMs;
    return this.connection$.pipe(
      switchMap((c) =>
        defer(() => c.receiver(typeof spec === 'function' ? spec(c) : spec)).pipe(
          retry({
            delay: (e: MessagingError) => (c.isOpen && e?.retryable ? timer(retryDelay) : throwError(() => e)),
          }),
          // a link that died with its connection comes back on the next one
          catchError((e: unknown) => (c.isOpen ? throwError(() => e) : EMPTY)),
          map((link) => this.track(link)),
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
    this.closed = true;
    this.closing.next();
    this.closing.complete();
    this.loop?.unsubscribe();
    const c = this.current.hasError ? undefined : this.current.value;
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

  /** Resolves once a connection is open. */
  ready(): Promise<AmqpConnection> {
    return firstValueFrom(this.connection$);
  }

  /** Stops granting credit and waits up to `ms` for the application to settle what it holds. */
  private async drain(ms: number): Promise<void> {
    const links = [...this.liveLinks];
    for (const l of links) l.stopCredit();
    const held = () => links.reduce((n, l) => n + l.unsettledCount(), 0);
    if (held() === 0 || ms <= 0) return;
    const allSettled = merge(...links.map((l) => l.settlements)).pipe(filter(() => held() === 0));
    await firstValueFrom(race(allSettled, timer(ms)), { defaultValue: undefined });
  }

  private track(link: ReceiverLink): ReceiverLink {
    this.liveLinks.add(link);
    link.deliveries.subscribe({ complete: () => this.liveLinks.delete(link), error: () => this.liveLinks.delete(link) });
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
        open: (i) => connect({ host: list[i], virtualHost: this.config.virtualHost, tls: this.config.tls, options }),
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
