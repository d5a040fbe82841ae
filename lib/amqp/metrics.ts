/**
 * A transport's counters: plain integers bumped where things happen (calls, sends,
 * deliveries, credit), and the snapshot {@link TransportMetrics} read from them.
 * @module
 */
import type { DeliveryOutcome } from './delivery-outcome';
import type { Disposition } from './incoming-delivery';
import { MessagingTimeout } from './errors';

/** A latency summary over one interval, in milliseconds (0 when there was no sample). */
export interface LatencySummary {
  /** How many calls were answered in the interval. */
  readonly count: number;
  /** Median. */
  readonly p50: number;
  /** 99th percentile. */
  readonly p99: number;
  /** Largest. */
  readonly max: number;
}

/**
 * A snapshot of a transport's counters. Counts are totals since the transport was created
 * (so they suit Prometheus counters); `pending`, `unsettled`, `outstanding` and the link
 * counts are gauges (now); the latency summary covers the interval since the previous
 * `metrics$` emission (since creation when `metricsIntervalMs` is 0).
 */
export interface TransportMetrics {
  /** When it was taken (`Date.now()`). */
  readonly at: number;
  /** The connection: its state now and how many times it was re-opened after the first open. */
  readonly connection: {
    readonly state: 'idle' | 'connecting' | 'open' | 'disconnected' | 'closed';
    readonly reconnects: number;
  };
  /** RPC calls: in flight now, and how the finished ones ended. */
  readonly calls: {
    readonly pending: number;
    /** Answered with a result. */
    readonly ok: number;
    /** Answered with a remote error, or failed otherwise (connection lost, refused, ...). */
    readonly failed: number;
    /** Ended by their deadline (`MessagingTimeout`). */
    readonly timedOut: number;
    /** Unsubscribed before they ended. */
    readonly cancelled: number;
    /** Time from subscribe to the reply, of calls answered (ok or a remote error) in the interval. */
    readonly latencyMs: LatencySummary;
  };
  /** Messages sent (every attempt's outcome; a resend after a release counts again), and sends in flight now. */
  readonly sends: {
    readonly pending: number;
    readonly accepted: number;
    readonly released: number;
    readonly rejected: number;
    readonly modified: number;
    /** Sent pre-settled (no outcome). */
    readonly settled: number;
    /** Sends that ended in an error (timed out, refused, no retry left). */
    readonly failed: number;
  };
  /** Deliveries received, how this side settled them, and how many are unsettled now. */
  readonly deliveries: {
    readonly received: number;
    readonly accepted: number;
    readonly released: number;
    readonly modified: number;
    readonly rejected: number;
    readonly unsettled: number;
  };
  /** Links attached now. */
  readonly links: { readonly senders: number; readonly receivers: number };
  /** Receiver credit: units granted in total, and granted but not used yet (now). */
  readonly credit: { readonly granted: number; readonly outstanding: number };
}

/** How many latency samples an interval keeps (the latest ones win; `max` stays exact). */
const LATENCY_SAMPLES = 8192;

/** How a call ended, as {@link TransportMetrics.calls} counts it. */
export type CallEnd = 'ok' | 'failed' | 'timedOut' | 'cancelled';

/**
 * The mutable counters of one transport. Every hook is a few integer updates; a call also
 * writes one latency sample into a fixed ring.
 */
export class TransportCounters {
  /** See {@link TransportMetrics.calls}. */
  readonly calls = { pending: 0, ok: 0, failed: 0, timedOut: 0, cancelled: 0 };
  /** See {@link TransportMetrics.sends}. */
  readonly sends = { pending: 0, accepted: 0, released: 0, rejected: 0, modified: 0, settled: 0, failed: 0 };
  /** See {@link TransportMetrics.deliveries}. */
  readonly deliveries = { received: 0, accepted: 0, released: 0, modified: 0, rejected: 0, unsettled: 0 };
  /** See {@link TransportMetrics.credit}. */
  readonly credit = { granted: 0, outstanding: 0 };
  /** Allocated on the first sample (64 KiB), so a transport that makes no calls holds none. */
  private latency: Float64Array | undefined;
  private samples = 0;
  private latencyMax = 0;

  /** A call started: pending until {@link callEnded}; returns its start time for that. */
  callStarted(): number {
    this.calls.pending++;
    return performance.now();
  }

  /** A call ended as `how`, `startedAt` (`performance.now()`) ago. */
  callEnded(how: CallEnd, startedAt: number): void {
    this.calls.pending--;
    this.calls[how]++;
    if (how === 'ok' || how === 'failed') {
      const ms = performance.now() - startedAt;
      (this.latency ??= new Float64Array(LATENCY_SAMPLES))[this.samples % LATENCY_SAMPLES] = ms;
      this.samples++;
      if (ms > this.latencyMax) this.latencyMax = ms;
    }
  }

  /** An attempt of a send came back with `outcome`. */
  sendOutcome(outcome: DeliveryOutcome['outcome']): void {
    this.sends[outcome]++;
  }

  /** A delivery arrived. */
  received(): void {
    this.deliveries.received++;
    this.deliveries.unsettled++;
    this.credit.outstanding--;
  }

  /** This side settled a delivery as `how`. */
  settled(how: Disposition): void {
    this.deliveries[how]++;
    this.deliveries.unsettled--;
  }

  /** `n` units of credit granted on a link (negative: taken back as the link went). */
  granted(n: number): void {
    if (n > 0) this.credit.granted += n;
    this.credit.outstanding += n;
  }

  /**
   * The latency summary since the last {@link resetInterval}.
   */
  latencySummary(): LatencySummary {
    const n = Math.min(this.samples, LATENCY_SAMPLES);
    if (n === 0 || !this.latency) return { count: 0, p50: 0, p99: 0, max: 0 };
    const sorted = this.latency.slice(0, n).sort();
    const at = (q: number) => sorted[Math.min(n - 1, Math.ceil(q * n) - 1)];
    return { count: this.samples, p50: at(0.5), p99: at(0.99), max: this.latencyMax };
  }

  /** The snapshot now, with the connection and link figures the counters do not keep. */
  snapshot(connection: TransportMetrics['connection'], links: TransportMetrics['links']): TransportMetrics {
    return {
      at: Date.now(),
      connection,
      calls: { ...this.calls, latencyMs: this.latencySummary() },
      sends: { ...this.sends },
      deliveries: { ...this.deliveries },
      links,
      credit: { ...this.credit },
    };
  }

  /** Starts a new latency interval. */
  resetInterval(): void {
    this.samples = 0;
    this.latencyMax = 0;
  }
}

/** How a call that errored with `error` counts: `timedOut` for a `MessagingTimeout`, else `failed`. */
export function callEndFor(error: unknown): CallEnd {
  return error instanceof MessagingTimeout ? 'timedOut' : 'failed';
}

