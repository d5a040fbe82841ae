/**
 * Receiver links as Observables, with credit tied to settlement.
 * @module
 */
import { Observable, Subject } from 'rxjs';
import type { Connection, EventContext, Message, Receiver, Source, TerminusOptions } from 'rhea-promise';
import { message as rheaMessage } from 'rhea';
import { type Disposition, IncomingDelivery } from './incoming-delivery';
import { CreditWindow } from './credit-window';
import { DispositionGate } from './disposition-gate';
import { type PeerProperties, peerRefusesModified } from './peer-quirks';
import { ConnectionLost, LinkRefused } from './errors';
import type { AmqpConnection } from './amqp-connection';
import type { TransportCounters } from './metrics';

/** AMQP terminus durability `unsettled-state`: the node and its state outlive the link. */
export const DURABLE_TERMINUS = 2;

/** The AMQP condition for a message over a link's size limit. */
const MESSAGE_SIZE_EXCEEDED = 'amqp:link:message-size-exceeded';

/** The size of `message` as rhea encodes it (what came over the wire, give or take encoding choices). */
function encodedSize(message: Message): number {
  try {
    return (rheaMessage.encode(message) as Buffer).length;
  } catch {
    return 0;
  }
}

/** What to attach: a fixed address, or a `dynamic` source whose address the intermediary assigns. */
export interface ReceiverSpec {
  /** The source address; omit with `dynamic: true`. */
  readonly address?: string;
  /** Ask the intermediary for a temporary address (oslo's reply link). */
  readonly dynamic?: boolean;
  /** The target address to put on the attach (oslo uses the source address, or `rpc-response` for replies). */
  readonly targetAddress?: string;
  /** How many unsettled deliveries the link may hold. */
  readonly credit: number;
  /** Link name; generated when absent. */
  readonly name?: string;
  /**
   * Attach with a durable source terminus (`unsettled-state`), so a broker that declares
   * queues from attaches (RabbitMQ) makes the queue durable. Default false.
   */
  readonly durable?: boolean;
  /**
   * Reject deliveries larger than this many bytes (encoded) with
   * `amqp:link:message-size-exceeded`, instead of handing them on. 0 or absent: no limit.
   */
  readonly maxMessageSize?: number;
}

/** An attached receiver link: the address it reads and its deliveries. */
export interface ReceiverLink {
  /** The connection it is attached on (set by `AmqpConnection.receiver`). */
  readonly connection?: AmqpConnection;
  /** The source address, as the intermediary confirmed it (the assigned one for dynamic links). */
  readonly address: string;
  /**
   * Deliveries on this link; completes when the link closes, for whatever reason (the link
   * stream that emitted this link tells why).
   */
  readonly deliveries: Observable<IncomingDelivery>;
  /** How many received deliveries the application has not settled yet. */
  readonly unsettledCount: () => number;
  /** Emits each time the application settles one of this link's deliveries. */
  readonly settlements: Observable<void>;
  /** Stops returning credit (used while draining before a close). */
  readonly stopCredit: () => void;
}

/**
 * Attaches a receiver on `connection` when subscribed and emits it once attached; the
 * link closes on unsubscribe. The link starts with `spec.credit` and gets one unit back
 * each time a delivery is settled (at once when half the window or more is in use, else
 * gathered for a moment: see `CreditWindow`), so unsettled deliveries stop the flow.
 * Errors with {@link LinkRefused} when the attach is refused or the peer detaches the link.
 * `peer` (the peer's Open properties) selects workarounds, see `peer-quirks.ts`.
 * `detachOnEnd` says whether unsubscribing should detach the link (false while the whole
 * connection is closing: the close ends the link, and a detach would wait for an answer).
 * `counters` (the transport's metrics) counts deliveries, settlements and credit.
 */
export function openReceiver(
  connection: Connection,
  spec: ReceiverSpec,
  peer: PeerProperties = {},
  detachOnEnd: () => boolean = () => true,
  counters?: TransportCounters,
): Observable<ReceiverLink> {
  return new Observable<ReceiverLink>((subscriber) => {
    const label = spec.address ?? '(dynamic)';
    const deliveries = new Subject<IncomingDelivery>();
    let receiver: Receiver | undefined;
    let closed = false;
    const unsettled = new Set<IncomingDelivery>();
    const gate = new DispositionGate();
    const settlements = new Subject<void>();
    const refusesModified = peerRefusesModified(peer);
    const limit = spec.maxMessageSize ?? 0;
    const alive = () => !closed && receiver !== undefined && receiver.isOpen();
    const credit = new CreditWindow(
      spec.credit,
      (n) => {
        receiver!.addCredit(n);
        counters?.granted(n);
      },
      alive,
    );
    // the credit granted on this link and not used yet is taken back from the counters when it goes
    const linkGone = () => {
      credit.stop();
      counters?.granted(-credit.outstanding);
    };
    // one set of hooks for all the link's deliveries
    const hooks = {
      settled: (how: Disposition, incoming: IncomingDelivery) => {
        counters?.settled(how);
        unsettled.delete(incoming);
        credit.settled();
        settlements.next();
      },
      alive,
      submit: (kind: Disposition, write: () => void) => gate.submit(kind, write),
      modifiedAsReleased: refusesModified,
    };
    const source: Source = spec.dynamic
      ? ({ dynamic: true, durable: 0, expiry_policy: 'link-detach' } as unknown as Source)
      : ({ address: spec.address, durable: spec.durable ? DURABLE_TERMINUS : 0 } as Source);
    const target: TerminusOptions = { address: spec.targetAddress ?? spec.address } as TerminusOptions;
    const detached = (ctx: EventContext) => {
      const err = (ctx.receiver?.error ?? ctx.session?.error) as { condition?: string; description?: string } | undefined;
      if (closed) return;
      closed = true;
      linkGone();
      const error = err?.condition
        ? new LinkRefused(label, err.condition, err.description)
        : new ConnectionLost(`receiver link "${label}" detached by the peer`);
      // The link's deliveries just end; whether and when a new link replaces it is
      // decided on the link stream, which errors with the reason (the transport retries
      // after a reconnect or `linkRetryDelayMs`, and gives up on errors that won't pass).
      deliveries.complete();
      subscriber.error(error);
    };
    // an attach still waiting when the subscriber goes is aborted (rhea-promise would hold a timer)
    const attaching = new AbortController();
    connection
      .createReceiver({
        abortSignal: attaching.signal,
        name: spec.name,
        source,
        target,
        credit_window: 0,
        autoaccept: false,
        autosettle: false,
        rcv_settle_mode: 0,
        snd_settle_mode: 2,
        onMessage: (ctx: EventContext) => {
          if (!ctx.message) return;
          const delivery = ctx.delivery;
          const incoming = new IncomingDelivery(ctx.message, delivery?.remote_settled ? undefined : delivery, hooks);
          unsettled.add(incoming);
          counters?.received();
          credit.received();
          const size = limit > 0 ? encodedSize(ctx.message) : 0;
          if (size > limit) {
            incoming.reject({ condition: MESSAGE_SIZE_EXCEEDED, description: `a message of ${size} bytes exceeds this link's ${limit}-byte limit` });
            return;
          }
          deliveries.next(incoming);
        },
        onError: detached,
        onClose: detached,
        onSessionError: detached,
      })
      .then(
        (r) => {
          receiver = r;
          if (subscriber.closed) {
            closed = true;
            void r.close({ closeSession: true }).catch(() => undefined);
            return;
          }
          const address = spec.dynamic ? String(r.source?.address ?? '') : (spec.address as string);
          if (spec.dynamic && !address) {
            closed = true;
            subscriber.error(new LinkRefused(label, 'amqp:invalid-field', 'no address assigned to the dynamic source'));
            return;
          }
          credit.open();
          subscriber.next({
            address,
            deliveries: deliveries.asObservable(),
            unsettledCount: () => unsettled.size,
            settlements: settlements.asObservable(),
            stopCredit: () => credit.stop(),
          });
        },
        (e: unknown) => {
          closed = true;
          const err = e as { condition?: string; description?: string; message?: string };
          subscriber.error(new LinkRefused(label, err?.condition, err?.description ?? err?.message));
        },
      );
    return () => {
      // what the application still holds goes back to the intermediary for redelivery
      credit.stop();
      for (const d of [...unsettled]) d.release();
      if (!closed) deliveries.complete();
      if (!closed) linkGone();
      closed = true;
      if (receiver && detachOnEnd()) void receiver.close({ closeSession: true }).catch(() => undefined);
      if (!receiver) attaching.abort();
    };
  });
}
