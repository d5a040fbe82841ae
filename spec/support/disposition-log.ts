/**
 * Sees how oslo-rx settles what it receives: a view of a real transport whose receivers
 * report each delivery's first settlement (the disposition oslo-rx chose), whatever the
 * intermediary then does with it. Nothing is replaced: every call goes to the transport.
 */
import { type Observable, ReplaySubject, map, tap } from 'rxjs';
import type { IncomingDelivery, MessagingTransport, ReceiverSpec, RejectCondition, Transport } from '../../lib';
import type { AmqpConnection, ReceiverLink } from '../../lib/amqp';
import { first } from './wait';

/** How oslo-rx settled one delivery. */
export interface SeenDisposition {
  /** accepted, released, modified or rejected. */
  readonly disposition: 'accepted' | 'released' | 'modified' | 'rejected';
  /** The rejection's condition. */
  readonly condition?: string;
  /** The rejection's description. */
  readonly description?: string;
  /** modified: the delivery-failed and undeliverable-here it asked for. */
  readonly modified?: { readonly deliveryFailed?: boolean; readonly undeliverableHere?: boolean };
  /** The intermediary sent it pre-settled (the disposition never went on the wire). */
  readonly preSettled: boolean;
  /** The message's `application-properties.case` (how the tests name their messages). */
  readonly label?: string;
  /** The message's correlation-id. */
  readonly correlationId?: unknown;
}

type Spec = ReceiverSpec | ((connection: AmqpConnection) => ReceiverSpec);

/** A transport whose receivers report how oslo-rx settles each delivery. */
export class DispositionLog {
  /** Every first settlement, in order (replayed to late subscribers). */
  readonly settled$ = new ReplaySubject<SeenDisposition>();
  /** The same, as an array. */
  readonly all: SeenDisposition[] = [];
  /** The view to hand to `rpcServer`, `notificationListener` or `RpcClient` (the real transport behind it). */
  readonly transport: Transport;

  /** @param real the transport to watch */
  constructor(real: Transport) {
    const record = (d: IncomingDelivery) => this.watch(d);
    const overrides: Partial<MessagingTransport> = {
      receive: (spec: Spec): Observable<IncomingDelivery> => real.receive(spec).pipe(tap(record)),
      receiverLinks: (spec: Spec): Observable<ReceiverLink> =>
        real.receiverLinks(spec).pipe(map((link) => ({ ...link, deliveries: link.deliveries.pipe(tap(record)) }))),
    };
    this.transport = new Proxy(real, {
      get(target, prop) {
        if (prop in overrides) return overrides[prop as keyof MessagingTransport];
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  /** The first settlement of the message labelled `label`; fails after `ms`. */
  of(label: string, ms = 10_000): Promise<SeenDisposition> {
    return first(this.settled$, `oslo-rx to settle "${label}"`, ms, (s) => s.label === label);
  }

  /** How many settlements of messages labelled `label` there were so far. */
  count(label: string): number {
    return this.all.filter((s) => s.label === label).length;
  }

  private watch(delivery: IncomingDelivery): void {
    const { message } = delivery;
    const base = {
      preSettled: delivery.preSettled,
      label: (message.application_properties as { case?: string } | undefined)?.case,
      correlationId: message.correlation_id,
    };
    const report = (seen: SeenDisposition) => {
      this.all.push(seen);
      this.settled$.next(seen);
    };
    const d = delivery as { -readonly [K in 'accept' | 'release' | 'modify' | 'reject']: IncomingDelivery[K] };
    const accept = delivery.accept.bind(delivery);
    const release = delivery.release.bind(delivery);
    const modify = delivery.modify.bind(delivery);
    const reject = delivery.reject.bind(delivery);
    d.accept = () => accept() && (report({ ...base, disposition: 'accepted' }), true);
    d.release = () => release() && (report({ ...base, disposition: 'released' }), true);
    d.modify = (o = {}) => modify(o) && (report({ ...base, disposition: 'modified', modified: o }), true);
    d.reject = (c: RejectCondition) =>
      reject(c) && (report({ ...base, disposition: 'rejected', condition: c.condition, description: c.description }), true);
  }
}
