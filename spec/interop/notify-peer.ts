/**
 * Runs the real Python oslo.messaging notification peer (`python/oslo_notify_peer.py`,
 * Debian's /usr/bin/python3) from tests: long-lived listeners and one-shot notifiers,
 * every wait bounded.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { PYTHON, tailOf, terminate, track } from './python-process';

/** The peer program. */
export const OSLO_NOTIFY_PEER = resolve(__dirname, 'python', 'oslo_notify_peer.py');

/** The publisher id of probe notifications: the Python listener never requeues them. */
export const PROBE_PUBLISHER = 'probe';

const READY_MS = 30_000;
const POLL_MS = 20;

/** Python decodes its argv and writes stdout as UTF-8 whatever the locale. */
const PYTHON_ENV = { ...process.env, PYTHONUTF8: '1', PYTHONIOENCODING: 'utf-8' };


/** One call of a Python listener endpoint method, as the peer printed it. */
export interface PythonNotification {
  /** The endpoint method that was called (lower case). */
  readonly priority: string;
  /** Its `publisher_id` argument. */
  readonly publisher_id: string;
  /** Its `event_type` argument. */
  readonly event_type: string;
  /** Its `payload` argument. */
  readonly payload: unknown;
  /** Its `metadata` argument. */
  readonly metadata: { readonly message_id: string; readonly timestamp: string };
  /** Its `ctxt` argument. */
  readonly ctxt: Record<string, unknown>;
  /** True when the endpoint returned REQUEUE for it (`--requeue-first`). */
  readonly requeued?: boolean;
}

/** One call of a Python batch listener endpoint method. */
export interface PythonBatch {
  /** The endpoint method that was called. */
  readonly priority: string;
  /** The notifications it was given. */
  readonly batch: readonly PythonNotification[];
  /** True when the endpoint returned REQUEUE for the whole batch. */
  readonly requeued?: boolean;
}

/** How to start a Python listener. */
export interface PythonListenerOptions {
  /** Transport URL. */
  readonly url: string;
  /** The notification topic. */
  readonly topic: string;
  /** Use a batch listener with this batch size. */
  readonly batchSize?: number;
  /** The batch listener's timeout in seconds (default 1). */
  readonly batchTimeoutS?: number;
  /** Return REQUEUE for the first notification that is not a probe. */
  readonly requeueFirst?: boolean;
}

/** A running Python `listen` process. */
export interface PythonListener {
  /** Its topic. */
  readonly topic: string;
  /** Its process id. */
  readonly pid: number;
  /** Every endpoint call so far, oldest first (a batch call counts once per notification). */
  readonly received: readonly PythonNotification[];
  /** Every batch endpoint call so far (batch listeners only). */
  readonly batches: readonly PythonBatch[];
  /** Resolves with the received notifications that match once there are at least `n`; rejects after `ms`. */
  waitFor(match: (n: PythonNotification) => boolean, n: number, what: string, ms?: number): Promise<PythonNotification[]>;
  /** What it wrote on stderr lately (oslo's warnings), for failure messages. */
  stderr(): string;
  /** Closes its stdin and sends SIGTERM, SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void>;
}

/** What a Python `notify` run sends. */
export interface PythonNotifyOptions {
  /** Transport URL. */
  readonly url: string;
  /** The notification topic. */
  readonly topic: string;
  /** The publisher id. */
  readonly publisher: string;
  /** Notifier method names (`warning` included); `count` notifications of each are sent. */
  readonly priorities: readonly string[];
  /** The event type. */
  readonly event: string;
  /** The payload. */
  readonly payload: unknown;
  /** The context, before Python's sanitizing. */
  readonly context?: Readonly<Record<string, unknown>>;
  /** Notification driver (default `messagingv2`). */
  readonly driver?: 'messagingv2' | 'messaging';
  /** How many of each priority (default 1). */
  readonly count?: number;
}

/** What a Python `notify` run printed. */
export interface PythonNotifyOutcome {
  /** Notifications sent without a logged failure. */
  readonly sent: number;
  /** Failures oslo logged (and swallowed). */
  readonly failed: number;
}


/** Calls `onLine` with every stdout line of `child` that parses as a JSON object. */
function jsonLines(child: ChildProcess, onLine: (line: Record<string, unknown>) => void): void {
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue; // not one of ours
      }
      if (parsed !== null && typeof parsed === 'object') onLine(parsed as Record<string, unknown>);
    }
  });
}


/**
 * Resolves with the first defined value of `probe` (polled); rejects when `child` exits first
 * or after `ms`, with `what` and `state()` (evaluated then) in the message.
 */
function awaitValue<T>(child: ChildProcess, probe: () => T | undefined, ms: number, what: string, state: () => string): Promise<T> {
  return new Promise((done, fail) => {
    const finish = (error: Error | undefined, value?: T) => {
      clearTimeout(timer);
      clearInterval(poll);
      child.off('exit', onExit);
      child.off('error', onError);
      if (error) fail(error);
      else done(value as T);
    };
    const check = () => {
      const value = probe();
      if (value !== undefined) finish(undefined, value);
      return value !== undefined;
    };
    const onExit = (code: number | null, signal: string | null) => {
      if (!check()) finish(new Error(`${what}: python exited (${signal ?? code}) first: ${state()}`));
    };
    const onError = (error: Error) => finish(error);
    const timer = setTimeout(() => finish(new Error(`${what}: not seen from python after ${ms} ms: ${state()}`)), ms);
    const poll = setInterval(check, POLL_MS);
    child.once('exit', onExit);
    child.once('error', onError);
    check();
  });
}

/** The first of `lines` that `pick` maps to a value. */
function firstPicked<T>(lines: readonly Record<string, unknown>[], pick: (l: Record<string, unknown>) => T | undefined): T | undefined {
  for (const line of lines) {
    const value = pick(line);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Starts `oslo_notify_peer.py` with `argv`, collecting its JSON lines. */
function spawnPeer(argv: string[], stdin: 'pipe' | 'ignore', onLine: (line: Record<string, unknown>) => void = () => undefined) {
  const child = spawn(PYTHON, [OSLO_NOTIFY_PEER, ...argv], { stdio: [stdin, 'pipe', 'pipe'], env: PYTHON_ENV });
  track(child);
  const stderr = tailOf(child.stderr);
  const lines: Record<string, unknown>[] = [];
  jsonLines(child, (line) => {
    lines.push(line);
    onLine(line);
  });
  return { child, stderr, lines };
}

/**
 * Starts a Python notification listener (batch listener with `batchSize`) and resolves once
 * `listener.start()` returned. Its links attach asynchronously: send probes until one arrives.
 */
export async function startPythonListener(options: PythonListenerOptions, readyMs = READY_MS): Promise<PythonListener> {
  const argv = ['listen', '--url', options.url, '--topic', options.topic];
  if (options.batchSize !== undefined) argv.push('--batch-size', String(options.batchSize), '--batch-timeout', String(options.batchTimeoutS ?? 1));
  if (options.requeueFirst) argv.push('--requeue-first');
  const received: PythonNotification[] = [];
  const batches: PythonBatch[] = [];
  const collect = (line: Record<string, unknown>) => {
    if (Array.isArray(line.batch)) {
      const batch = line as unknown as PythonBatch;
      batches.push(batch);
      received.push(...batch.batch.map((n) => (batch.requeued ? { ...n, requeued: true } : n)));
    } else if (typeof line.priority === 'string') {
      received.push(line as unknown as PythonNotification);
    }
  };
  const { child, stderr, lines } = spawnPeer(argv, 'pipe', collect);
  try {
    await awaitValue(child, () => firstPicked(lines, (l) => (l.ready === true ? true : undefined)), readyMs, `python listener on ${options.topic}`, stderr);
  } catch (error) {
    await terminate(child);
    throw error;
  }
  const waitFor = (match: (n: PythonNotification) => boolean, n: number, what: string, ms = 15_000) =>
    awaitValue(child, () => {
      const hits = received.filter(match);
      return hits.length >= n ? hits : undefined;
    }, ms, `${what} (python listener on ${options.topic})`, () => `${received.length} notifications received; stderr: ${stderr()}`);
  return { topic: options.topic, pid: child.pid!, received, batches, waitFor, stderr, stop: () => terminate(child) };
}

/**
 * Sends notifications with a Python Notifier and resolves with what it printed. Bounded by
 * `ms` (oslo's notify deadline is 30 s per notification); the process is killed after that.
 */
export async function runPythonNotifier(options: PythonNotifyOptions, ms = 45_000): Promise<PythonNotifyOutcome> {
  const argv = ['notify', '--url', options.url, '--topic', options.topic, '--publisher', options.publisher];
  argv.push('--priority', options.priorities.join(','), '--event', options.event, '--payload', JSON.stringify(options.payload));
  argv.push('--context', JSON.stringify(options.context ?? {}), '--driver', options.driver ?? 'messagingv2', '--count', String(options.count ?? 1));
  const { child, stderr, lines } = spawnPeer(argv, 'ignore');
  try {
    return await awaitValue(child, () => firstPicked(lines, (l) => (typeof l.sent === 'number' ? (l as unknown as PythonNotifyOutcome) : undefined)), ms, `python notify ${options.event}`, stderr);
  } finally {
    await terminate(child);
  }
}
