/** The client side of every Node measurement: a closed loop of `concurrency` workers. */
import { performance } from 'node:perf_hooks';
import { cpuMicrosSince, percentile } from './stats';

/** What one measured window gave, as a client child reports it. */
export interface WindowResult {
  /** Operations completed in the window. */
  readonly count: number;
  /** Length of the window. */
  readonly seconds: number;
  /** Operations per second. */
  readonly perSecond: number;
  /** Median and 99th percentile latency of one operation, ms. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** CPU (user + system) this process used in the window, microseconds. */
  readonly cpuMicros: number;
}

/**
 * Runs `op` `count` times, at most `concurrency` at once (each worker starts the next when
 * its last one finishes), and measures the window.
 */
export async function closedLoop(count: number, concurrency: number, op: () => Promise<unknown>): Promise<WindowResult> {
  const latencies: number[] = [];
  let started = 0;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const worker = async () => {
    while (started < count) {
      started++;
      const s = performance.now();
      await op();
      latencies.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const seconds = (performance.now() - t0) / 1000;
  return {
    count,
    seconds,
    perSecond: count / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    cpuMicros: cpuMicrosSince(cpu),
  };
}
