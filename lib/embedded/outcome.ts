/**
 * Delivery outcomes as the intermediary sees and sends them.
 * @module
 */
import type { AmqpError } from 'rhea';
import { type Describable, messageBuilders } from './rhea-internals';

/** The four terminal AMQP outcomes. */
export type OutcomeType = 'accepted' | 'rejected' | 'released' | 'modified';

/** A terminal outcome, with the AMQP state that carries it on the wire. */
export interface Outcome {
  /** Which outcome. */
  readonly type: OutcomeType;
  /** `modified` only: the delivery failed, so its delivery-count must go up. */
  readonly deliveryFailed: boolean;
  /** `modified` only: the message must not be delivered to this link again. */
  readonly undeliverableHere: boolean;
  /** `rejected` only: the error the receiver gave. */
  readonly error?: AmqpError;
  /** The state as rhea writes it in a disposition. */
  readonly state: Describable;
}

/** What became of a message sent to a consumer: its outcome, or `lost` when the link went away first. */
export type ConsumerResult = Outcome | { readonly type: 'lost' };

interface RemoteState extends Describable {
  readonly constructor: { readonly composite_type?: string };
  readonly delivery_failed?: boolean | null;
  readonly undeliverable_here?: boolean | null;
  readonly error?: AmqpError | null;
}

/** The `accepted` outcome. */
export function acceptedOutcome(): Outcome {
  return { type: 'accepted', deliveryFailed: false, undeliverableHere: false, state: messageBuilders.accepted() };
}

/** The `released` outcome: not processed, may be delivered again. */
export function releasedOutcome(): Outcome {
  return { type: 'released', deliveryFailed: false, undeliverableHere: false, state: messageBuilders.released() };
}

/** The `rejected` outcome with an AMQP error. */
export function rejectedOutcome(condition: string, description: string): Outcome {
  const error = { condition, description };
  return { type: 'rejected', deliveryFailed: false, undeliverableHere: false, error, state: messageBuilders.rejected({ error }) };
}

/** The `modified` outcome with its two flags. */
export function modifiedOutcome(deliveryFailed: boolean, undeliverableHere: boolean): Outcome {
  return {
    type: 'modified',
    deliveryFailed,
    undeliverableHere,
    state: messageBuilders.modified({ delivery_failed: deliveryFailed, undeliverable_here: undeliverableHere }),
  };
}

/**
 * The outcome a peer gave in a disposition (`remote_state` of a rhea delivery); a
 * settlement without a state counts as `accepted`. Returns undefined for a
 * non-terminal state such as `received`. The original state is kept, so forwarding
 * it repeats the peer's fields exactly.
 */
export function outcomeFromRemoteState(remote: unknown): Outcome | undefined {
  if (remote === undefined || remote === null) return acceptedOutcome();
  const state = remote as RemoteState;
  const type = state.constructor?.composite_type;
  if (type !== 'accepted' && type !== 'rejected' && type !== 'released' && type !== 'modified') return undefined;
  return {
    type,
    deliveryFailed: state.delivery_failed === true,
    undeliverableHere: state.undeliverable_here === true,
    error: state.error ?? undefined,
    state,
  };
}
