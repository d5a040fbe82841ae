/**
 * The one reply stream of a transport: a receiver whose replies are demultiplexed by
 * correlation-id to the calls waiting for them.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { BehaviorSubject, EMPTY, type Observable, type Subscription, defaultIfEmpty, defer, merge, mergeMap, of, take, throwError } from 'rxjs';
import {
  type AmqpConnection,
  ConnectionLost,
  type IncomingDelivery,
  LinkRefused,
  type MessagingTransport,
  TransportClosed,
  type ReceiverLink,
  type ReceiverSpec,
  peerRefusesDynamicSources,
  withJitter,
} from '../amqp';
import { type ReceivedReply, decodeReplyMessage } from '../wire';
import { logger } from '../log';

const log = logger('reply');

/** What arrives for one call: its reply (or failure) and its heartbeats. */
export type ReplyEvent = Exclude<ReceivedReply, { kind: 'heartbeat' }> | { readonly kind: 'heartbeat' };

/** oslo's target address of the reply link. */
const REPLY_TARGET = 'rpc-response';

/** Where a call's reply, heartbeats and failure go (a Subject will do). */
export interface ReplySink {
  /** A reply, a failure reply or a heartbeat for the call. */
  next(event: ReplyEvent): void;
  /** The call cannot get its reply: the reply link ended or was refused, the reply was malformed, the transport closed. */
  error(error: unknown): void;
  /** The call was released. */
  complete(): void;
}

/** An attached reply link, and the calls whose requests went out with its address. */
interface AttachedLink {
  readonly kind: 'attached';
  readonly connection: AmqpConnection;
  readonly address: string;
  readonly calls: Set<string>;
}

/** Where the reply link is: attached, not (yet, or again) attached, refused for now, or gone with the transport. */
type LinkState = AttachedLink | { readonly kind: 'detached' } | { readonly kind: 'refused'; readonly error: unknown } | { readonly kind: 'closed' };

function key(id: unknown): string | undefined {
  if (typeof id === 'string') return id;
  if (typeof id === 'number' || typeof id === 'bigint') return `#${String(id)}`;
  if (Buffer.isBuffer(id)) return `0x${id.toString('hex')}`;
  return undefined;
}

/**
 * One per transport (see `MessagingTransport.shared`). Attaches the reply receiver on
 * every connection — a `dynamic` source as oslo does, or, where the intermediary refuses
 * those (RabbitMQ before 4.1), a uniquely named reply queue — and routes each reply to
 * its call by an O(1) map lookup.
 *
 * A call's request carries the reply address of the connection it goes out on
 * ({@link replyAddressOn}); once sent ({@link sentOn}) the call belongs to that reply link,
 * and fails at once with an `inDoubt` `ConnectionLost` if the link ends before its reply
 * comes (a dynamic reply node dies with its link). A refused reply link fails the calls
 * that need it and is tried again after `linkRetryDelayMs`; nothing here fails for good
 * but the transport's close. Replies nobody waits for (late, cancelled) are discarded.
 */
export class ReplyRouter {
  private readonly pending = new Map<string, { readonly events: ReplySink; link?: AttachedLink }>();
  private readonly state = new BehaviorSubject<LinkState>({ kind: 'detached' });
  private readonly fallbackQueue = `oslo-rx.reply.${randomUUID()}`;
  private useFallback = false;
  private subscription: Subscription | undefined;
  private restart: ReturnType<typeof setTimeout> | undefined;

  /** @param transport the transport whose connection carries the replies */
  constructor(private readonly transport: MessagingTransport) {}

  /**
   * The reply address on `connection`, once the reply link is attached there (emits once).
   * Errors with a (not in-doubt) `ConnectionLost` when the connection drops first, with the
   * refusal when the intermediary refuses the reply link, and with `TransportClosed` once
   * the transport is closed.
   */
  replyAddressOn(connection: AmqpConnection): Observable<string> {
    return defer(() => {
      this.start();
      const ready = this.state.pipe(
        mergeMap((s) => {
          if (s.kind === 'attached') return s.connection === connection ? of(s.address) : EMPTY;
          if (s.kind === 'refused') return throwError(() => s.error);
          if (s.kind === 'closed') return throwError(() => new TransportClosed('the transport closed before the call was sent'));
          return EMPTY;
        }),
      );
      const lost = connection.lost.pipe(
        defaultIfEmpty(undefined),
        mergeMap((e) => throwError(() => new ConnectionLost(`connection to ${connection.label} lost before the call was sent`, e))),
      );
      return merge(ready, lost).pipe(take(1));
    });
  }

  /**
   * The reply address on `connection` when the reply link is attached there now, else
   * undefined (then {@link replyAddressOn} waits for it). Synchronous: the per-call fast path.
   */
  replyAddressNow(connection: AmqpConnection): string | undefined {
    this.start();
    const s = this.state.value;
    return s.kind === 'attached' && s.connection === connection && connection.isOpen ? s.address : undefined;
  }

  /** Registers call `id`: its reply and heartbeats go to `events` until `release(id)` completes it. */
  register(id: string, events: ReplySink): void {
    this.start();
    this.pending.set(id, { events });
  }

  /**
   * Call `id`'s request went out with reply address `replyTo`: from now on it fails when
   * that reply link ends. Fails it at once when the link has already gone.
   */
  sentOn(id: string, replyTo: string): void {
    const call = this.pending.get(id);
    if (!call) return;
    const s = this.state.value;
    if (s.kind === 'attached' && s.address === replyTo && s.connection.isOpen) {
      call.link = s;
      s.calls.add(id);
      return;
    }
    this.fail(id, this.linkLost(replyTo));
  }

  /** Forgets call `id` (done, timed out or cancelled): a reply arriving later is discarded. */
  release(id: string): void {
    const call = this.pending.get(id);
    if (!call) return;
    this.pending.delete(id);
    call.link?.calls.delete(id);
    call.events.complete();
  }

  /** How many calls wait for a reply now. */
  get size(): number {
    return this.pending.size;
  }

  private spec(connection: AmqpConnection): ReceiverSpec {
    const credit = this.transport.options.replyLinkCredit;
    const fallbackAllowed = this.transport.options.replyAddressFallback !== 'never';
    if (fallbackAllowed && (this.useFallback || peerRefusesDynamicSources(connection.remoteProperties))) {
      return { address: this.fallbackQueue, targetAddress: this.fallbackQueue, credit };
    }
    return { dynamic: true, targetAddress: REPLY_TARGET, credit };
  }

  private start(): void {
    if (this.subscription || this.state.value.kind === 'closed') return;
    this.subscription = this.transport.receiverLinks((c) => this.spec(c)).subscribe({
      next: (link) => this.attached(link),
      // the transport closed: no reply can come any more
      complete: () => {
        this.state.next({ kind: 'closed' });
        this.failAll(new TransportClosed('the transport closed while the call waited for its reply'));
      },
      error: (e: unknown) => this.refused(e),
    });
  }

  private attached(link: ReceiverLink): void {
    log('reply address %s', link.address);
    const s: AttachedLink = { kind: 'attached', connection: link.connection!, address: link.address, calls: new Set() };
    this.state.next(s);
    link.deliveries.subscribe({
      next: (d) => this.route(d),
      complete: () => {
        if (this.state.value === s) this.state.next({ kind: 'detached' });
        const lost = this.linkLost(s.address);
        for (const id of [...s.calls]) this.fail(id, lost);
      },
    });
  }

  private refused(e: unknown): void {
    this.subscription = undefined;
    if (e instanceof TransportClosed) {
      this.state.next({ kind: 'closed' });
      this.failAll(e);
      return;
    }
    // An intermediary that refuses dynamic sources without saying who it is: use a queue.
    if (e instanceof LinkRefused && e.condition === 'amqp:not-implemented' && !this.useFallback && this.transport.options.replyAddressFallback !== 'never') {
      this.useFallback = true;
      this.start();
      return;
    }
    log('reply link refused: %s', (e as Error)?.message ?? e);
    this.state.next({ kind: 'refused', error: e });
    this.failAll(e);
    // try again later, for the calls to come; the timer never keeps the process alive
    this.restart = setTimeout(() => {
      this.restart = undefined;
      if (this.state.value.kind !== 'refused') return;
      this.state.next({ kind: 'detached' });
      this.start();
    }, withJitter(this.transport.options.linkRetryDelayMs));
    this.restart.unref();
  }

  private linkLost(address: string): ConnectionLost {
    return new ConnectionLost(`the reply link "${address}" ended before the reply came; the method may or may not have run`, undefined, true);
  }

  private fail(id: string, error: unknown): void {
    const call = this.pending.get(id);
    if (!call) return;
    this.pending.delete(id);
    call.link?.calls.delete(id);
    call.events.error(error);
  }

  private failAll(error: unknown): void {
    for (const id of [...this.pending.keys()]) this.fail(id, error);
  }

  private route(delivery: IncomingDelivery): void {
    const id = key(delivery.message.correlation_id);
    const call = id === undefined ? undefined : this.pending.get(id);
    if (!call) {
      log('discarding a reply for no waiting call (correlation-id %s)', id);
      delivery.discard();
      return;
    }
    delivery.accept();
    const decoded = decodeReplyMessage(delivery.message);
    if (decoded._tag === 'Left') {
      this.fail(id!, decoded.left);
      return;
    }
    call.events.next(decoded.right.kind === 'heartbeat' ? { kind: 'heartbeat' } : decoded.right);
  }
}

/** The key under which a transport keeps its {@link ReplyRouter}. */
export const REPLY_ROUTER = Symbol('oslo-rx.reply-router');

/** The transport's reply router, created on first use. */
export function replyRouterOf(transport: MessagingTransport): ReplyRouter {
  return transport.shared(REPLY_ROUTER, () => new ReplyRouter(transport));
}
