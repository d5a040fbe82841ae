/**
 * A progress bar on stderr, for long sends.
 * @module
 */
import { SingleBar } from 'cli-progress';
import type { TextSink } from './cli-io';

/** Counts done work; `stop()` ends the display. */
export interface Progress {
  /** Counts `n` more done. */
  increment(n?: number): void;
  /** Removes the bar (nothing is left on the screen). */
  stop(): void;
}

/** Shows nothing. */
const SILENT: Progress = { increment: () => {}, stop: () => {} };

/**
 * A progress bar of `total` steps on `stream` (cli-progress), or none when `stream` is
 * not a terminal (a log file or a pipe gets no control characters) or `total` is small.
 *
 * @param minimum the smallest total worth a bar
 */
export function progressBar(stream: TextSink, total: number, what: string, minimum: number): Progress {
  if (stream.isTTY !== true || total < minimum) return SILENT;
  const bar = new SingleBar({
    stream: stream as NodeJS.WriteStream,
    format: `${what} [{bar}] {percentage}% {value}/{total} {eta_formatted} left`,
    clearOnComplete: true,
    hideCursor: true,
    etaBuffer: 100,
  });
  bar.start(total, 0);
  return { increment: (n = 1) => bar.increment(n), stop: () => bar.stop() };
}
