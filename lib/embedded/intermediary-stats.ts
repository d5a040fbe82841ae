/**
 * Counters of the embedded intermediary, for tests and the CLI.
 * @module
 */

/** A snapshot of the intermediary's counters (totals since start, except the two gauges). */
export interface IntermediaryStats {
  /** Transfers written to consumers (each copy and each redelivery counts). */
  readonly delivered: number;
  /** Messages taken in to wait for a consumer: broker, copies put in a queue; router, messages held for credit. */
  readonly stored: number;
  /** Broker: deliveries put back for redelivery (released, modified, or lost with their link). Router: messages released back to their sender. */
  readonly released: number;
  /** Messages discarded without delivery: expired, topic with no subscriber, overflow, deleted temporary queue, undeliverable-here, pre-settled with nowhere to go. */
  readonly dropped: number;
  /** Messages the intermediary itself rejected (too large, no address, unknown temporary address). */
  readonly rejected: number;
  /** Failed SASL authentications. */
  readonly authFailures: number;
  /** Gauge: client connections open now. */
  readonly connections: number;
  /** Gauge: messages stored or held now. */
  readonly queued: number;
}

/** The mutable counters behind {@link IntermediaryStats}; the gauges are read when a snapshot is taken. */
export class StatsCounters {
  /** See {@link IntermediaryStats.delivered}. */
  delivered = 0;
  /** See {@link IntermediaryStats.stored}. */
  stored = 0;
  /** See {@link IntermediaryStats.released}. */
  released = 0;
  /** See {@link IntermediaryStats.dropped}. */
  dropped = 0;
  /** See {@link IntermediaryStats.rejected}. */
  rejected = 0;
  /** See {@link IntermediaryStats.authFailures}. */
  authFailures = 0;

  /** A frozen copy of the counters with the two gauges. */
  snapshot(connections: number, queued: number): IntermediaryStats {
    const { delivered, stored, released, dropped, rejected, authFailures } = this;
    return Object.freeze({ delivered, stored, released, dropped, rejected, authFailures, connections, queued });
  }
}
