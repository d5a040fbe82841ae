/**
 * Process plumbing shared by the Python peers: which Python, clean-up, stderr tails, stopping.
 */
import type { ChildProcess } from 'node:child_process';

/** Debian's Python, the one with python3-oslo.messaging (the pyenv one on PATH lacks it). */
export const PYTHON = process.env.OSLO_RX_PYTHON || '/usr/bin/python3';

/** How long a stopped peer gets between SIGTERM and SIGKILL. */
const STOP_MS = 5000;

/** Peers still running; killed if the test process exits first. */
const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/** Registers `child` for the exit clean-up and returns it. */
export function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Drains a stream into a bounded tail. */
export function tailOf(stream: NodeJS.ReadableStream | null): () => string {
  let tail = '';
  stream?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  });
  return () => tail.trim();
}

/** Resolves when `child` has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

/** Closes stdin, sends `signal` (SIGTERM), then SIGKILL after 5 s; resolves on exit. */
export async function terminate(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const gone = exited(child);
  child.stdin?.end();
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_MS);
  await gone;
  clearTimeout(timer);
  running.delete(child);
}
