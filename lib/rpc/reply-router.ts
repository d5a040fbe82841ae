/**
 * The one reply stream of a transport: a receiver whose replies are demultiplexed by
 * correlation-id to the calls waiting for them.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { BehaviorSubject, type Observable, Subject, type Subscription, filter, take } from 'rxjs';
import {
  type AmqpConnection,
  type IncomingDelivery,
  LinkRefused,
  type MessagingTransport,
  TransportClosed,
  type ReceiverSpec,
  peerRefusesDynamicSources,
} from '../amqp';
import { type ReceivedReply, decodeReplyMessage } from '../wire';
import { logger } from '../log';

const log = logger('reply');

/** What arrives for one call: its reply (or failure) and its heartbeats. */
export type ReplyEvent = Exclude<ReceivedReply, { kind: 'heartbeat' }> | { readonly kind: 'heartbeat' };

/** oslo's target address of the reply link. */
const REPLY_TARGET = 'rpc-response';

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
 * its call by an O(1) map lookup. Replies nobody waits for (late, cancelled) are settled
 * `modified(delivery-failed, undeliverable-here)`, as oslo does.
 */
export class ReplyRouter {
  private readonly pending = new Map<string, Subject<ReplyEvent>>();
  private readonly address = new BehaviorSubject<string | undefined>(undefined);
  private readonly failure = new Subject<unknown>();
  private readonly fallbackQueue = `oslo-rx.reply.${randomUUID()}`;
  private useFallback = false;
  private subscription: Subscription | undefined;

  /** @param transport the transport whose connection carries the replies */
  constructor(private readonly transport: MessagingTransport) {}

  /**
   * The reply address calls put in `reply_to`, once the reply link is attached (emits once);
   * errors with `TransportClosed` once the transport is closed.
   */
  replyAddress(): Observable<string> {
    this.start();
    return this.address.pipe(
      filter((a): a is string => a !== undefined),
      take(1),
    );
  }

  /** Fails when the reply link cannot be attached for good. */
  get failures(): Observable<unknown> {
    return this.failure.asObservable();
  }

  /** Registers call `id`; its reply and heartbeats arrive on the returned stream until `release(id)`. */
  register(id: string): Observable<ReplyEvent> {
    this.start();
    const subject = new Subject<ReplyEvent>();
    this.pending.set(id, subject);
    return subject.asObservable();
  }

  /** Forgets call `id` (done, timed out or cancelled): a reply arriving later is dropped. */
  release(id: string): void {
    this.pending.get(id)?.complete();
    this.pending.delete(id);
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
    if (this.subscription) return;
    this.subscription = this.transport.receiverLinks((c) => this.spec(c)).subscribe({
      next: (link) => {
        log('reply address %s', link.address);
        this.address.next(link.address);
        link.deliveries.subscribe({
          next: (d) => this.route(d),
          complete: () => {
            if (!this.address.hasError && !this.address.closed && this.address.value === link.address) this.address.next(undefined);
          },
        });
      },
      // the transport closed: no reply can come any more
      complete: () => {
        const closed = new TransportClosed('the transport closed while the call waited for its reply');
        this.address.error(closed);
        this.failPending(closed);
      },
      error: (e: unknown) => {
        // An intermediary that refuses dynamic sources without saying who it is: use a queue.
        if (e instanceof LinkRefused && e.condition === 'amqp:not-implemented' && !this.useFallback &&
          this.transport.options.replyAddressFallback !== 'never') {
          this.useFallback = true;
          this.subscription = undefined;
          this.start();
          return;
        }
        this.failure.next(e);
        this.address.error(e);
        this.failPending(e);
        this.subscription = undefined;
      },
    });
  }

  private failPending(error: unknown): void {
    for (const [, s] of this.pending) s.error(error);
    this.pending.clear();
  }

  private route(delivery: IncomingDelivery): void {
    const decoded = decodeReplyMessage(delivery.message);
    const id = key(delivery.message.correlation_id);
    const waiting = id === undefined ? undefined : this.pending.get(id);
    if (!waiting) {
      log('dropping a reply for no waiting call (correlation-id %s)', id);
      delivery.modify({ deliveryFailed: true, undeliverableHere: true });
      return;
    }
    delivery.accept();
    if (decoded._tag === 'Left') {
      waiting.error(decoded.left);
      return;
    }
    waiting.next(decoded.right.kind === 'heartbeat' ? { kind: 'heartbeat' } : decoded.right);
  }
}

/** The key under which a transport keeps its {@link ReplyRouter}. */
export const REPLY_ROUTER = Symbol('oslo-rx.reply-router');

/** The transport's reply router, created on first use. */
export function replyRouterOf(transport: MessagingTransport): ReplyRouter {
  return transport.shared(REPLY_ROUTER, () => new ReplyRouter(transport));
}
