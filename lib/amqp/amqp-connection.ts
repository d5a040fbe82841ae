/**
 * One open AMQP connection: its peer's properties, a sender cache and receiver links.
 * @module
 */
import type { TransportCounters } from './metrics';
import { Observable, Subject, map } from 'rxjs';
import { randomUUID } from 'node:crypto';
import { Connection, ConnectionEvents, SenderEvents, type EventContext, type Message, type Session } from 'rhea-promise';
import { type LinkSendOptions, SenderLink } from './sender-link';
import { DURABLE_TERMINUS, openReceiver, type ReceiverLink, type ReceiverSpec } from './receiver-link';
import type { DeliveryOutcome } from './delivery-outcome';
import { ConnectionLost, LinkRefused, translateConnectionError } from './errors';
import type { MessagingError } from '../errors';
import { connectionAttempt, type ConnectionTarget } from './connection-options';
import { redactHost } from './redact-host';

/**
 * An open connection to one host. Emitted by `connect`; becomes unusable when it
 * drops (see {@link AmqpConnection.lost}), after which the transport opens a new one.
 */
export class AmqpConnection {
  private readonly senders = new Map<string, Promise<SenderLink>>();
  /** The cached senders whose attach has completed, by the same keys (the fast path's lookup). */
  private readonly attached = new Map<string, SenderLink>();
  private readonly attaching = new Set<AbortController>();
  private readonly lostSubject = new Subject<MessagingError>();
  private lostError: MessagingError | undefined;
  private purgeTimer: ReturnType<typeof setInterval> | undefined;
  private closing = false;

  /**
   * @param raw the open rhea-promise connection
   * @param label the redacted `host:port` it is connected to, for messages and state
   * @param limits `senderIdleMs`: detach a cached sender after this long without sends
   *   (oslo's `default_sender_link_timeout`; `Infinity` or 0 keeps them for the connection's
   *   life); `maxMessageSize`: the receive-side limit of every receiver (0 = none);
   *   `counters`: the transport's metrics, which its receivers count into
   */
  constructor(
    readonly raw: Connection,
    readonly label: string,
    private readonly limits: { readonly senderIdleMs?: number; readonly maxMessageSize?: number; readonly counters?: TransportCounters } = {},
  ) {
    const onLost = (ctx: EventContext) => {
      if (this.raw.wasCloseInitiated() && !ctx.connection?.error) return this.markLost(undefined);
      const err = ctx.connection?.error ?? ctx.error ?? new Error('connection closed by the peer');
      this.markLost(translateConnectionError(err, label));
    };
    raw.on(ConnectionEvents.disconnected, onLost);
    raw.on(ConnectionEvents.connectionClose, onLost);
    raw.on(ConnectionEvents.protocolError, onLost);
    raw.on(ConnectionEvents.error, onLost);
  }

  /** The peer's Open `properties` (e.g. `product`), read from the remote Open frame. */
  get remoteProperties(): Record<string, unknown> {
    const open = (this.raw as unknown as { _connection: { remote?: { open?: { properties?: Record<string, unknown> } } } })
      ._connection.remote?.open;
    return open?.properties ?? {};
  }

  /** Emits once, with the reason, when the connection drops; completes after a close we asked for. */
  get lost(): Observable<MessagingError> {
    return this.lostSubject.asObservable();
  }

  /** True until the connection drops or is closed. */
  get isOpen(): boolean {
    return this.lostError === undefined && !this.lostSubject.closed && this.raw.isOpen();
  }

  /** How many sender links are cached (attached or attaching) now. */
  get senderCount(): number {
    return this.senders.size;
  }

  /**
   * Sends `message` to `address` once, on this connection, and emits its outcome: waits for
   * the cached sender and its credit. Errors with `ConnectionLost` when the connection drops
   * (`inDoubt` when the message had been written), `LinkRefused` when the peer refuses the
   * link, `MessageDeliveryFailure` when it cannot be encoded or is too large. Unsubscribing
   * before the message is written drops it.
   */
  send(address: string, message: Message, options: LinkSendOptions & { readonly durableLink?: boolean } = {}): Observable<DeliveryOutcome> {
    return new Observable<DeliveryOutcome>((subscriber) => {
      let cancel: (() => void) | undefined;
      let done = false;
      this.sender(address, options.durableLink).then(
        (link) => {
          if (done) return;
          const pending = link.send(message, options);
          cancel = pending.cancel;
          pending.outcome.then(
            (o) => {
              subscriber.next(o);
              subscriber.complete();
            },
            (e: unknown) => subscriber.error(e),
          );
        },
        (e: unknown) => subscriber.error(e),
      );
      return () => {
        done = true;
        cancel?.();
      };
    });
  }

  /**
   * The cached sender for `address` when it is attached and usable now, else undefined
   * (then {@link sender} attaches it). Synchronous: the per-message fast path.
   */
  attachedSender(address: string, durable = false): SenderLink | undefined {
    const link = this.attached.get(durable ? `durable:${address}` : address);
    return link?.usable && this.lostError === undefined ? link : undefined;
  }

  /**
   * The cached sender for `address`, attached on first use (one session per link, like oslo);
   * `durable` asks for a durable target terminus (see `ReceiverSpec.durable`).
   */
  sender(address: string, durable = false): Promise<SenderLink> {
    if (!this.isOpen) return Promise.reject(this.lostError ?? new ConnectionLost(`connection to ${this.label} closed`));
    const key = durable ? `durable:${address}` : address;
    const cached = this.senders.get(key);
    if (cached) return cached;
    const created = this.attachSender(address, key, durable);
    this.senders.set(key, created);
    created.then(
      (link) => {
        if (this.senders.get(key) === created) this.attached.set(key, link);
      },
      () => {
        if (this.senders.get(key) === created) this.senders.delete(key);
      },
    );
    this.schedulePurge();
    return created;
  }

  /**
   * Attaches a sender on a session of its own. A failed attach (refused, timed out, or cut
   * short by the connection's loss) ends the session, so nothing it created is left behind.
   */
  private async attachSender(address: string, key: string, durable: boolean): Promise<SenderLink> {
    const abort = new AbortController();
    this.attaching.add(abort);
    let session: Session | undefined;
    try {
      session = await this.raw.createSession({ abortSignal: abort.signal });
      const s = await session.createSender({
        name: `openstack.org/om/sender/[${address}]/${randomHex()}`,
        target: { address, durable: durable ? DURABLE_TERMINUS : 0 } as never,
        source: { address, durable: 0 } as never,
        snd_settle_mode: 2,
        rcv_settle_mode: 0,
        abortSignal: abort.signal,
      });
      const link = new SenderLink(s, address, this.limits.counters);
      // a link the peer detaches is dropped from the cache; the next send re-attaches
      const forget = () => {
        const cached = this.senders.get(key);
        void cached?.then((l) => l === link && this.senders.get(key) === cached && this.forgetSender(key), () => undefined);
      };
      s.on(SenderEvents.senderClose, forget);
      s.on(SenderEvents.senderError, forget);
      return link;
    } catch (e) {
      // a session on a connection that is going away dies with it; closing it would wait
      // (with a timer) for an answer that never comes
      if (session && this.isOpen) void session.close().catch(() => undefined);
      if (this.lostError || !this.isOpen) throw this.lostError ?? new ConnectionLost(`connection to ${this.label} closed`, e);
      const err = e as { condition?: string; description?: string; message?: string };
      throw new LinkRefused(address, err?.condition, err?.description ?? err?.message);
    } finally {
      this.attaching.delete(abort);
    }
  }

  /** Drops the cached sender under `key`: the next send attaches a new one. */
  private forgetSender(key: string): void {
    this.senders.delete(key);
    this.attached.delete(key);
  }

  /** Arms the idle-sender sweep (unref'd: it never keeps the process alive). */
  private schedulePurge(): void {
    const idleMs = this.limits.senderIdleMs ?? Infinity;
    if (this.purgeTimer || !Number.isFinite(idleMs) || idleMs <= 0) return;
    this.purgeTimer = setInterval(() => this.purgeIdleSenders(), Math.max(100, Math.min(idleMs / 2, 60_000)));
    this.purgeTimer.unref();
  }

  /** Detaches cached senders that have had nothing to send for `senderIdleMs`. */
  private purgeIdleSenders(): void {
    const now = Date.now();
    for (const [address, pending] of this.senders) {
      void pending.then(
        (link) => {
          const idle = link.idleSince;
          if (idle === undefined || now - idle < (this.limits.senderIdleMs ?? Infinity) || this.senders.get(address) !== pending) return;
          this.forgetSender(address);
          void link.close();
        },
        () => undefined,
      );
    }
  }

  /**
   * Attaches a receiver on this connection (see `openReceiver`). Errors with
   * `ConnectionLost` when the connection drops or closes: rhea sends no link event then.
   */
  receiver(spec: ReceiverSpec): Observable<ReceiverLink> {
    return new Observable<ReceiverLink>((subscriber) => {
      const ended = () => this.lostError ?? new ConnectionLost(`connection to ${this.label} closed`);
      if (!this.isOpen) return subscriber.error(ended());
      const onLost = this.lostSubject.subscribe({ complete: () => subscriber.error(ended()) });
      const link = openReceiver(this.raw, { maxMessageSize: this.limits.maxMessageSize, ...spec }, this.remoteProperties, () => !this.closing, this.limits.counters)
        .pipe(map((l): ReceiverLink => ({ ...l, connection: this })))
        .subscribe(subscriber);
      return () => {
        onLost.unsubscribe();
        link.unsubscribe();
      };
    });
  }

  /**
   * Says the connection is about to close: links ended from now on are not detached one by
   * one (the close ends them all; rhea-promise would hold a timer waiting for each answer).
   */
  prepareClose(): void {
    this.closing = true;
  }

  /** Closes the connection gracefully (bounded by the rhea-promise operation timeout). */
  async close(): Promise<void> {
    this.closing = true;
    this.markLost(undefined);
    try {
      await this.raw.close();
    } catch {
      // the socket is already gone
    }
  }

  private markLost(error: MessagingError | undefined): void {
    if (this.lostSubject.closed) return;
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    for (const a of this.attaching) a.abort();
    this.attaching.clear();
    for (const s of this.senders.values()) {
      s.then(
        (l) => l.fail(error ?? translateConnectionError(new Error('connection closed'), this.label)),
        () => undefined,
      );
    }
    this.senders.clear();
    this.attached.clear();
    if (error) {
      this.lostError = error;
      this.lostSubject.next(error);
    }
    this.lostSubject.complete();
  }
}

function randomHex(): string {
  return randomUUID().replace(/-/g, '');
}

/**
 * Opens a connection to `target` when subscribed and emits it once open; errors when it
 * drops (a {@link MessagingError}: `ConnectionLost`, or `AuthenticationFailed` for bad
 * credentials). Unsubscribing closes it. Cold: each subscription is a new connection.
 * `counters` (the transport's metrics) is handed to its receivers.
 */
export function connect(target: ConnectionTarget, counters?: TransportCounters): Observable<AmqpConnection> {
  return new Observable<AmqpConnection>((subscriber) => {
    const label = redactHost(target.host);
    const attempt = connectionAttempt(target);
    const raw = new Connection(attempt.options);
    let conn: AmqpConnection | undefined;
    let done = false;
    raw.open().then(
      () => {
        if (done) return void raw.close().catch(() => undefined);
        conn = new AmqpConnection(raw, label, { senderIdleMs: target.options.defaultSenderLinkTimeoutMs, maxMessageSize: target.options.maxMessageSize, counters });
        const sub = conn.lost.subscribe((e) => subscriber.error(e));
        subscriber.add(sub);
        subscriber.next(conn);
      },
      (e: unknown) => {
        if (!done) subscriber.error(translateConnectionError(e, label, attempt.opening()));
      },
    );
    return () => {
      done = true;
      if (conn) void conn.close();
      else void raw.close().catch(() => undefined);
    };
  });
}
