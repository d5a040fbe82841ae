/**
 * Node child processes for fault tests: a TypeScript script run with tsx (e.g. a
 * listener to SIGKILL mid-batch, a transport whose heap is measured with --expose-gc),
 * talking to the test by JSON lines on stdout.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { exited, tailOf, terminate, track } from '../interop/python-process';

const repoRoot = resolve(__dirname, '..', '..');

/** A running {@link spawnNodeChild} process. */
export interface NodeChild {
  readonly process: ChildProcess;
  /** Every JSON line it printed so far, parsed, in order. */
  readonly messages: readonly Record<string, unknown>[];
  /** The first message (past or future) matching `predicate`; rejects after `ms` or when the child exits first. */
  message(what: string, predicate: (m: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
  /** Resolves with its exit code and signal once it has exited by itself; rejects after `ms`. */
  exit(ms?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Writes `message` as one JSON line to its stdin (what {@link parentMessages} reads). */
  tell(message: Record<string, unknown>): void;
  /** SIGKILL now; resolves once it is gone. */
  kill(): Promise<void>;
  /** SIGTERM (SIGKILL after 5 s); resolves once it is gone. */
  stop(): Promise<void>;
  /** The end of its stderr, for failure messages. */
  stderr(): string;
}

/**
 * Runs `script` (a path relative to the repository root) under tsx with `args`, and Node
 * flags `nodeFlags` (e.g. `--expose-gc`). Lines it prints that are JSON objects become
 * {@link NodeChild.messages}; the rest is ignored.
 */
export function spawnNodeChild(script: string, args: readonly string[] = [], nodeFlags: readonly string[] = []): NodeChild {
  const child = track(
    spawn(process.execPath, [...nodeFlags, '--require', 'tsx/cjs', resolve(repoRoot, script), ...args], {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, DEBUG: '' },
    }),
  );
  const stderr = tailOf(child.stderr);
  const messages: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    try {
      messages.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      return;
    }
    waiters.forEach((w) => w());
  });
  const gone = exited(child);
  const result = () => ({ code: child.exitCode, signal: child.signalCode });
  const timer = (ms: number, what: string, fail: (e: Error) => void) =>
    setTimeout(() => fail(new Error(`timed out after ${ms} ms waiting for ${what} from ${script}: ${stderr()}`)), ms);
  return {
    process: child,
    messages,
    message: (what, predicate, ms = 10_000) =>
      new Promise((done, fail) => {
        const t = timer(ms, what, fail);
        const check = () => {
          const found = messages.find(predicate);
          if (found) {
            waiters.delete(check);
            clearTimeout(t);
            done(found);
          }
        };
        waiters.add(check);
        check();
        void gone.then(() => {
          check();
          if (waiters.delete(check)) {
            clearTimeout(t);
            fail(new Error(`${script} exited (${JSON.stringify(result())}) before ${what}: ${stderr()}`));
          }
        });
      }),
    exit: (ms = 10_000) =>
      new Promise((done, fail) => {
        const t = timer(ms, 'its exit', fail);
        void gone.then(() => {
          clearTimeout(t);
          done(result());
        });
      }),
    tell: (message) => {
      child.stdin?.write(`${JSON.stringify(message)}\n`);
    },
    kill: async () => {
      child.kill('SIGKILL');
      await gone;
    },
    stop: () => terminate(child),
    stderr,
  };
}

/** For child scripts: prints `message` as one JSON line on stdout (what {@link NodeChild.messages} reads). */
export function tellParent(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/**
 * For child scripts: calls `handle` with each JSON line the parent sends ({@link NodeChild.tell}).
 * Returns a function that stops reading (so stdin no longer holds the process open).
 */
export function parentMessages(handle: (message: Record<string, unknown>) => void): () => void {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    try {
      handle(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // not a message
    }
  });
  return () => {
    lines.close();
    process.stdin.destroy();
  };
}
