/**
 * One open AMQP connection: its peer's properties, a sender cache and receiver links.
 * @module
 */
import { Observable, Subject } from 'rxjs';
import { randomUUID } from 'node:crypto';
import { Connection, ConnectionEvents, SenderEvents, type EventContext } from 'rhea-promise';
import { SenderLink } from './sender-link';
import { openReceiver, type ReceiverLink, type ReceiverSpec } from './receiver-link';
import { LinkRefused, translateConnectionError } from './errors';
import type { MessagingError } from '../errors';
import { connectionOptions, type ConnectionTarget } from './connection-options';
import { redactHost } from './redact-host';

/**
 * An open connection to one host. Emitted by `connect`; becomes unusable when it
 * drops (see {@link AmqpConnection.lost}), after which the transport opens a new one.
 */
export class AmqpConnection {
  private readonly senders = new Map<string, Promise<SenderLink>>();
  private readonly lostSubject = new Subject<MessagingError>();
  private lostError: MessagingError | undefined;

  /**
   * @param raw the open rhea-promise connection
   * @param label the redacted `host:port` it is connected to, for messages and state
   */
  constructor(
    readonly raw: Connection,
    readonly label: string,
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

  /** The cached sender for `address`, attached on first use (one session per link, like oslo). */
  sender(address: string): Promise<SenderLink> {
    const cached = this.senders.get(address);
    if (cached) return cached;
    const created = this.raw
      .createSender({
        name: `openstack.org/om/sender/[${address}]/${randomHex()}`,
        target: { address, durable: 0 } as never,
        source: { address, durable: 0 } as never,
        snd_settle_mode: 2,
        rcv_settle_mode: 0,
      })
      .then(
        (s) => {
          const link = new SenderLink(s, address);
          // a link the peer detaches is dropped from the cache; the next send re-attaches
          s.on(SenderEvents.senderClose, () => this.senders.delete(address));
          s.on(SenderEvents.senderError, () => this.senders.delete(address));
          return link;
        },
        (e: { condition?: string; description?: string; message?: string }) => {
          this.senders.delete(address);
          throw this.lostError ?? new LinkRefused(address, e?.condition, e?.description ?? e?.message);
        },
      );
    this.senders.set(address, created);
    return created;
  }

  /** Attaches a receiver on this connection (see `openReceiver`). */
  receiver(spec: ReceiverSpec): Observable<ReceiverLink> {
    return openReceiver(this.raw, spec, this.remoteProperties);
  }

  /** Closes the connection gracefully (bounded by the rhea-promise operation timeout). */
  async close(): Promise<void> {
    this.markLost(undefined);
    try {
      await this.raw.close();
    } catch {
      // the socket is already gone
    }
  }

  private markLost(error: MessagingError | undefined): void {
    if (this.lostSubject.closed) return;
    for (const s of this.senders.values()) {
      s.then(
        (l) => l.fail(error ?? translateConnectionError(new Error('connection closed'), this.label)),
        () => undefined,
      );
    }
    this.senders.clear();
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
 */
export function connect(target: ConnectionTarget): Observable<AmqpConnection> {
  return new Observable<AmqpConnection>((subscriber) => {
    const label = redactHost(target.host);
    const raw = new Connection(connectionOptions(target));
    let conn: AmqpConnection | undefined;
    let done = false;
    raw.open().then(
      () => {
        if (done) return void raw.close().catch(() => undefined);
        conn = new AmqpConnection(raw, label);
        const sub = conn.lost.subscribe((e) => subscriber.error(e));
        subscriber.add(sub);
        subscriber.next(conn);
      },
      (e: unknown) => {
        if (!done) subscriber.error(translateConnectionError(e, label));
      },
    );
    return () => {
      done = true;
      if (conn) void conn.close();
      else void raw.close().catch(() => undefined);
    };
  });
}
