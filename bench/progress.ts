/** The progress line the benchmark keeps on stderr. */
import { performance } from 'node:perf_hooks';

const t0 = performance.now();

/** Shows `what` with the time elapsed: rewrites one line on a terminal, one line each otherwise. */
export function progress(what: string): void {
  const s = Math.round((performance.now() - t0) / 1000);
  const line = `[${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s] ${what}`;
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns ?? 100) - 1)}`);
  else process.stderr.write(`${line}\n`);
}

/** Ends the progress line (on a terminal). */
export function progressDone(): void {
  if (process.stderr.isTTY) process.stderr.write('\n');
}
