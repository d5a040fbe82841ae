/**
 * What a listening messenger does with the links and messages of the peers that
 * connect to it: every message, to whatever node, becomes an {@link IncomingDelivery}
 * on the subscription, and the sender gets the outcome the application settles with.
 * @module
 */
import type { AmqpError } from 'rhea';
import type { Delivery, Message } from 'rhea-promise';
import { IncomingDelivery } from '../amqp';
import { AMQP_CONDITIONS } from '../embedded/amqp-conditions';
import { type Outcome, acceptedOutcome, modifiedOutcome, rejectedOutcome, releasedOutcome } from '../embedded/outcome';
import type { LinkRole, Personality } from '../embedded/personality';
import type { IncomingTransfer, Producer } from '../embedded/producer';

/** The dispositions `IncomingDelivery` writes, answered to the sending peer as `transfer.settle` outcomes. */
type Settler = Pick<Delivery, 'remote_settled' | 'accept' | 'release' | 'modified' | 'reject'>;

function settlerOf(transfer: IncomingTransfer): Settler {
  const settle = (outcome: Outcome) => transfer.settle(outcome);
  return {
    remote_settled: false,
    accept: () => settle(acceptedOutcome()),
    release: () => settle(releasedOutcome()),
    modified: (o?: { delivery_failed?: boolean; undeliverable_here?: boolean }) =>
      settle(modifiedOutcome(o?.delivery_failed ?? true, o?.undeliverable_here ?? false)),
    reject: (e?: { condition?: unknown; description?: unknown }) =>
      settle(rejectedOutcome(String(e?.condition ?? AMQP_CONDITIONS.internalError), e?.description === undefined ? '' : String(e.description))),
  } as Settler;
}

/**
 * The personality of a listening messenger (direct, like a router: nothing is stored).
 * Peers may attach senders to any node or use anonymous relay; each sender link gets
 * `credit`, returned as the application settles, so a peer never has more than
 * `credit` unsettled messages on a link. Receiving links are refused with
 * `amqp:not-implemented`: a listening messenger only takes messages in.
 */
export class PeerInbox implements Personality {
  /** Direct delivery, as a router. */
  readonly mode = 'router' as const;
  private readonly unsettled = new Set<IncomingDelivery>();

  /**
   * @param credit unsettled messages allowed per incoming link
   * @param deliver receives each message
   */
  constructor(
    private readonly credit: number,
    private readonly deliver: (delivery: IncomingDelivery) => void,
  ) {}

  /** Any node takes messages; no node gives any. */
  refusal(address: string, role: LinkRole): AmqpError | undefined {
    if (role === 'producer') return undefined;
    return { condition: AMQP_CONDITIONS.notImplemented, description: `a listening messenger only receives messages; "${address}" cannot be read from` };
  }

  /** Never called: receiving links are refused. */
  declareDynamic(): void {}

  /** Never called: receiving links are refused. */
  addConsumer(): void {}

  /** Never called: receiving links are refused. */
  consumerCredit(): void {}

  /** Never called: receiving links are refused. */
  removeConsumer(): void {}

  /** Nothing to remember. */
  addProducer(): void {}

  /** The credit less the link's messages not settled by the application yet. */
  allowance(producer: Producer): number {
    return Math.max(0, this.credit - producer.pending);
  }

  /** Its unsettled messages stay with the application; settling them later sends nothing. */
  removeProducer(): void {}

  /** Hands the message to the subscription, its `to` filled with the link's node when the sender left it out. */
  route(transfer: IncomingTransfer): void {
    const message: Message = { ...transfer.message, to: transfer.message.to ?? transfer.address };
    const delivery: IncomingDelivery = new IncomingDelivery(
      message,
      transfer.presettled ? undefined : (settlerOf(transfer) as Delivery),
      {
        settled: () => {
          this.unsettled.delete(delivery);
          // a pre-settled message wants no outcome; settling it only returns its credit
          if (transfer.presettled) transfer.settle(acceptedOutcome());
        },
      },
    );
    this.unsettled.add(delivery);
    this.deliver(delivery);
  }

  /** Messages the application holds unsettled. */
  depth(): number {
    return this.unsettled.size;
  }

  /** Releases what the application still holds (the listener is stopping). */
  close(): void {
    for (const d of [...this.unsettled]) d.release();
  }
}
