/**
 * What a personality (broker or router) does with the links and messages that the
 * connection layer hands it.
 * @module
 */
import type { AmqpError } from 'rhea';
import type { Consumer } from './consumer';
import type { IntermediaryMode } from './intermediary-options';
import type { IncomingTransfer, Producer } from './producer';

/** Which way a link moves messages, from the intermediary's side. */
export type LinkRole = 'consumer' | 'producer';

/**
 * The routing half of the intermediary. The connection layer validates links, builds
 * {@link Consumer}s and {@link Producer}s, and forwards their events here.
 */
export interface Personality {
  /** `broker` or `router`. */
  readonly mode: IntermediaryMode;
  /** Why a link with `role` may not attach to `address` (or a message be sent to it), or undefined when it may. */
  refusal(address: string, role: LinkRole): AmqpError | undefined;
  /** A temporary address for a dynamic source was made; it exists until its consumer goes. */
  declareDynamic(address: string): void;
  /** A consumer attached. */
  addConsumer(consumer: Consumer): void;
  /** A consumer may have credit again. */
  consumerCredit(consumer: Consumer): void;
  /** A consumer went away (its unsettled deliveries come back through their callbacks afterwards). */
  removeConsumer(consumer: Consumer): void;
  /** A producer attached (before it gets credit). */
  addProducer(producer: Producer): void;
  /** How many more messages `producer` may have outstanding now. */
  allowance(producer: Producer): number;
  /** A producer went away. */
  removeProducer(producer: Producer): void;
  /** Routes one message; must call `transfer.settle` exactly once, now or later. */
  route(transfer: IncomingTransfer): void;
  /** Messages stored or held right now. */
  depth(): number;
  /** Stops timers and drops what is held; called once, when the intermediary stops. */
  close(): void;
}
