/**
 * What the receiving side said about a message we sent.
 * @module
 */

/** The AMQP 1.0 outcomes, plus `settled` for a pre-settled send (no outcome comes back). */
export type DeliveryOutcome =
  | { readonly outcome: 'accepted' }
  | { readonly outcome: 'released' }
  | { readonly outcome: 'modified'; readonly deliveryFailed: boolean; readonly undeliverableHere: boolean }
  | { readonly outcome: 'rejected'; readonly condition?: string; readonly description?: string }
  | { readonly outcome: 'settled' };

interface RheaOutcome {
  constructor?: { composite_type?: string };
  delivery_failed?: boolean;
  undeliverable_here?: boolean;
  error?: { condition?: unknown; description?: unknown };
}

/**
 * Reads a rhea delivery's `remote_state` (an unwrapped outcome) into a {@link DeliveryOutcome}.
 * A peer that settles without stating an outcome is taken as `accepted`, as AMQP 1.0 allows.
 */
export function outcomeFromRemoteState(remoteState: unknown): DeliveryOutcome {
  const state = (remoteState ?? {}) as RheaOutcome;
  switch (state.constructor?.composite_type) {
    case 'rejected':
      return {
        outcome: 'rejected',
        condition: state.error?.condition === undefined ? undefined : String(state.error.condition),
        description: state.error?.description === undefined ? undefined : String(state.error.description),
      };
    case 'released':
      return { outcome: 'released' };
    case 'modified':
      return {
        outcome: 'modified',
        deliveryFailed: Boolean(state.delivery_failed),
        undeliverableHere: Boolean(state.undeliverable_here),
      };
    default:
      return { outcome: 'accepted' };
  }
}
