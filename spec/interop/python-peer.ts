/**
 * Runs the real Python oslo.messaging peer (`python/oslo_peer.py`, Debian's /usr/bin/python3)
 * from tests: long-lived RPC servers and one-shot RPC clients, every wait bounded.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

import { PYTHON, exited, tailOf, terminate, track } from './python-process';

/** The peer program. */
export const OSLO_PEER = resolve(__dirname, 'python', 'oslo_peer.py');

const READY_MS = 30_000;
/** How long a one-shot client may take to exit after printing its answer. */
const STOP_MS = 5000;

/** A Python `rpc-server` process. */
export interface PythonRpcServer {
  /** Its server name (the Target's `server`). */
  readonly server: string;
  /** Its process id. */
  readonly pid: number;
  /** What it wrote on stderr lately (oslo's warnings), for failure messages. */
  stderr(): string;
  /** Closes its stdin and sends SIGTERM, SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void>;
  /** SIGKILL (a crash: no clean detach); resolves once it has exited. */
  kill(): Promise<void>;
}

/** Where a Python server listens. */
export interface PythonServerOptions {
  /** Transport URL. */
  readonly url: string;
  /** Target topic. */
  readonly topic: string;
  /** Target server name. */
  readonly server: string;
  /** Target exchange (default: oslo's control_exchange, `openstack`). */
  readonly exchange?: string;
}

/** What a Python `rpc-client` run asks for. */
export interface PythonClientOptions {
  /** Transport URL. */
  readonly url: string;
  /** Target topic. */
  readonly topic: string;
  /** The method to call or cast. */
  readonly method: string;
  /** Keyword arguments of the method. */
  readonly args?: Readonly<Record<string, unknown>>;
  /** The request context. */
  readonly context?: Readonly<Record<string, unknown>>;
  /** Target server. */
  readonly server?: string;
  /** Target exchange. */
  readonly exchange?: string;
  /** Cast to every server of the topic (with `cast`). */
  readonly fanout?: boolean;
  /** Cast instead of call. */
  readonly cast?: boolean;
  /** Target namespace. */
  readonly namespace?: string;
  /** Target version. */
  readonly version?: string;
  /** Call timeout in seconds (default 10). */
  readonly timeoutS?: number;
  /** Call-monitor timeout in seconds. */
  readonly callMonitorS?: number;
}

/** The Python type names of a call's result (and of its items when it is a dict or a list). */
export interface PythonTypes {
  /** `type(result).__name__`, e.g. `dict`, `int`, `NoneType`. */
  readonly type: string;
  /** Type names of the items of a dict (by key) or a list. */
  readonly items?: Readonly<Record<string, string>> | readonly string[];
}

/** An exception the Python client caught. */
export interface PythonError {
  /** `type(e).__name__`. */
  readonly type: string;
  /** `type(e).__module__`. */
  readonly module: string;
  /** `str(e)`. */
  readonly str: string;
  /** For oslo's RemoteError: the remote class name. */
  readonly exc_type?: string;
  /** For oslo's RemoteError: the remote message. */
  readonly value?: string;
}

/** What one Python `rpc-client` run printed. */
export type PythonOutcome =
  | { readonly result: unknown; readonly types?: PythonTypes; readonly error?: undefined }
  | { readonly error: PythonError; readonly result?: undefined };


/** Resolves with the first stdout line of `child` that parses as JSON; rejects on exit or after `ms`. */
function firstJsonLine(child: ChildProcess, ms: number, what: string, stderr: () => string): Promise<Record<string, unknown>> {
  return new Promise((done, fail) => {
    let buffered = '';
    const finish = (error: Error | undefined, value?: Record<string, unknown>) => {
      clearTimeout(timer);
      child.stdout?.off('data', watch);
      child.off('exit', onExit);
      child.off('error', finish);
      if (error) fail(error);
      else done(value!);
    };
    const watch = (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        try {
          return finish(undefined, JSON.parse(line) as Record<string, unknown>);
        } catch {
          // not our line
        }
      }
    };
    const onExit = (code: number | null, signal: string | null) =>
      finish(new Error(`${what}: python exited (${signal ?? code}) before printing its result: ${stderr()}`));
    const timer = setTimeout(() => finish(new Error(`${what}: no result from python after ${ms} ms: ${stderr()}`)), ms);
    child.stdout?.on('data', watch);
    child.once('exit', onExit);
    child.once('error', finish);
  });
}

/**
 * Starts a Python oslo.messaging RPC server and resolves once it has answered a call
 * to itself (its links are attached); rejects (and kills it) after `readyMs`.
 */
export async function startPythonServer(options: PythonServerOptions, readyMs = READY_MS): Promise<PythonRpcServer> {
  const argv = [OSLO_PEER, 'rpc-server', '--url', options.url, '--topic', options.topic, '--server', options.server];
  if (options.exchange) argv.push('--exchange', options.exchange);
  const child = spawn(PYTHON, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
  track(child);
  const stderr = tailOf(child.stderr);
  try {
    const line = await firstJsonLine(child, readyMs, `python server ${options.server}`, stderr);
    if (line.ready !== true) throw new Error(`python server ${options.server} said ${JSON.stringify(line)}`);
  } catch (error) {
    await terminate(child);
    throw error;
  }
  // keep draining stdout so the pipe never fills
  child.stdout?.resume();
  return { server: options.server, pid: child.pid!, stderr, stop: () => terminate(child), kill: () => terminate(child, 'SIGKILL') };
}

/** The command line of one `rpc-client` run. */
function clientArgv(o: PythonClientOptions): string[] {
  const argv = [OSLO_PEER, 'rpc-client', '--url', o.url, '--topic', o.topic, '--method', o.method];
  argv.push('--args', JSON.stringify(o.args ?? {}), '--context', JSON.stringify(o.context ?? {}));
  argv.push('--timeout', String(o.timeoutS ?? 10));
  if (o.server) argv.push('--server', o.server);
  if (o.exchange) argv.push('--exchange', o.exchange);
  if (o.fanout) argv.push('--fanout');
  if (o.cast) argv.push('--cast');
  if (o.namespace) argv.push('--namespace', o.namespace);
  if (o.version) argv.push('--version', o.version);
  if (o.callMonitorS !== undefined) argv.push('--cmt', String(o.callMonitorS));
  return argv;
}

/**
 * Runs one Python oslo.messaging call (or cast) and resolves with what it printed.
 * Bounded by the call timeout plus 15 s for Python's start and shutdown; the process is
 * killed if it outlives that.
 */
export async function runPythonClient(options: PythonClientOptions): Promise<PythonOutcome> {
  const child = spawn(PYTHON, clientArgv(options), { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  const stderr = tailOf(child.stderr);
  const ms = (options.timeoutS ?? 10) * 1000 + 15_000;
  try {
    const outcome = (await firstJsonLine(child, ms, `python ${options.cast ? 'cast' : 'call'} ${options.method}`, stderr)) as PythonOutcome;
    // let it shut down by itself (a cast is flushed on cleanup), within a bound
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited(child), new Promise((done) => (timer = setTimeout(done, STOP_MS)))]);
    clearTimeout(timer);
    return outcome;
  } finally {
    await terminate(child);
  }
}
