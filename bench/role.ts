/** What every child role of bench/worker.ts provides. */

/** A started role: facts for the ready line, a command handler, and a close. */
export interface Role {
  /** Extra facts for the ready line (an intermediary's URL). */
  readonly facts?: Record<string, unknown>;
  /** Answers `cmd`; undefined when the role has no such command. */
  handle(cmd: string, args: Record<string, unknown>): Promise<unknown> | undefined;
  /** Closes links and connections. */
  close(): Promise<void>;
}

/** The options every role gets from the parent. */
export interface RoleOptions {
  /** The intermediary's URL. */
  readonly url: string;
  /** The oslo topic, or the raw contender's queue address. */
  readonly topic: string;
  /** An oslo-rx addressing preset to apply (`rabbitmq3`). */
  readonly preset?: 'rabbitmq3';
  /** The raw contender's reply address; absent means a dynamic reply node. */
  readonly replyAddress?: string;
  /** Credit of the server or listener links. */
  readonly credit?: number;
  /** For a listener: ack in batches of `bufferTime(1000, null, 100)` with `ackBatch`. */
  readonly batch?: boolean;
  /** For oslo-rx roles: false counts no metrics (the "counting off" contender). Default true. */
  readonly counting?: boolean;
  /** For oslo-rx roles: a tracer provider is registered (the "tracing on" contender). */
  readonly tracing?: boolean;
  /** For the embedded intermediary: the port to listen on. */
  readonly port?: number;
}

/** The 1 KiB string every echo call carries. */
export const PAYLOAD = 'x'.repeat(1024);
