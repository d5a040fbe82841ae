/**
 * @module
 */

/** The figures of a run of timed operations. */
export interface LatencySummary {
  /** Operations done (failed ones included). */
  readonly count: number;
  /** Operations that failed. */
  readonly failed: number;
  /** Operations per second over the whole run. */
  readonly perSecond: number;
  /** Median latency, ms. */
  readonly p50Ms: number;
  /** 99th percentile latency, ms. */
  readonly p99Ms: number;
}

/** The `p` quantile (0..1) of `sorted` (ascending), by the nearest-rank rule; NaN when empty. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))]!;
}

/**
 * The summary of a run.
 *
 * @param latenciesMs each operation's latency, in any order
 * @param failed how many of them failed
 * @param elapsedMs the run's wall time
 */
export function summarizeLatencies(latenciesMs: readonly number[], failed: number, elapsedMs: number): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    failed,
    perSecond: elapsedMs > 0 ? (sorted.length * 1000) / elapsedMs : Number.POSITIVE_INFINITY,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
  };
}

/** The summary as one line, e.g. `1000 calls at concurrency 10: 2345 calls/s, p50 3.1 ms, p99 9.8 ms, 0 failed`. */
export function latencyLine(summary: LatencySummary, what: string, concurrency: number): string {
  const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
  return `${summary.count} ${what}s at concurrency ${concurrency}: ${summary.perSecond.toFixed(0)} ${what}s/s, p50 ${ms(summary.p50Ms)}, p99 ${ms(summary.p99Ms)}, ${summary.failed} failed`;
}
