/**
 * The real intermediaries that `scripts/peers.sh start` runs on loopback, as tests see them.
 *
 * `source .peers/peers.env` exports their URLs; without it the fixed default ports apply.
 * A suite calls {@link requirePeer} in its `before` hook: outside CI a missing peer skips
 * the suite with one line saying how to start it; in CI it fails the run.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { portOpen } from './ports';

/** The intermediaries `scripts/peers.sh` runs. */
export type PeerName = 'rabbitmq' | 'proton' | 'fakebroker' | 'fakerouter' | 'rabbitmq_tls' | 'proton_tls';

const repoRoot = resolve(__dirname, '..', '..');

/** The URL of each peer when `.peers/peers.env` is not sourced (the script's default ports). */
const defaultUrls: Readonly<Record<PeerName, string>> = {
  rabbitmq: 'amqp://guest:guest@127.0.0.1:27672',
  proton: 'amqp://127.0.0.1:27680',
  fakebroker: 'amqp://127.0.0.1:27690',
  fakerouter: 'amqp://127.0.0.1:27691',
  // scripts/peers-tls.sh
  rabbitmq_tls: 'amqps://127.0.0.1:27701',
  proton_tls: 'amqps://127.0.0.1:27710',
};

const PROBE_MS = 2000;
const START_MS = 10_000;
const STOP_MS = 5000;
const SCRIPT_MS = 120_000;

/**
 * The transport URL of peer `name`: `OSLO_RX_<NAME>_URL` (as `.peers/peers.env` exports it)
 * or the default, e.g. `amqp://127.0.0.1:27680` for `proton`.
 */
export function peerUrl(name: PeerName): string {
  return process.env[`OSLO_RX_${name.toUpperCase()}_URL`] || defaultUrls[name];
}

/** Path of the Qpid Proton C++ example broker that `scripts/peers.sh start` builds (`OSLO_RX_PROTON_BROKER_BIN`). */
export function protonBrokerBin(): string {
  return process.env.OSLO_RX_PROTON_BROKER_BIN || resolve(repoRoot, '.peers', 'bin', 'proton-broker');
}

/** Path of `scripts/peers.sh` (`OSLO_RX_PEERS_SCRIPT`). */
export function peersScript(): string {
  return process.env.OSLO_RX_PEERS_SCRIPT || resolve(repoRoot, 'scripts', 'peers.sh');
}

/** True when running in CI (`CI` set to anything but `false` or `0`): missing peers fail instead of skipping. */
function inCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** Host and port of a peer URL (no credentials). */
function hostPort(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: parsed.port ? Number(parsed.port) : 5672 };
}

/**
 * For a `before` hook: resolves when peer `name` accepts TCP connections (probed for about 2 s).
 * Otherwise, in CI it throws (CI never skips); elsewhere it prints one line
 * `skipping <suite>: <peer> not running on <host:port> (start it with: bash scripts/peers.sh start)`
 * and skips the suite.
 *
 * @example
 * before(async function () { await requirePeer(this, 'proton'); });
 */
export async function requirePeer(ctx: Mocha.Context, name: PeerName): Promise<void> {
  const { host, port } = hostPort(peerUrl(name));
  if (await portOpen(port, host, PROBE_MS)) return;
  missingPeer(ctx, `${name} not running on ${host}:${port} (start it with: bash scripts/peers.sh start)`);
}

/**
 * For a `before` hook whose peer is not there: in CI throws (CI never skips); elsewhere
 * prints `skipping <suite>: <reason>` and skips the suite.
 */
export function missingPeer(ctx: Mocha.Context, reason: string): never {
  const suite = ctx.test?.parent?.fullTitle() || ctx.test?.title || 'suite';
  if (inCi()) throw new Error(`${suite}: ${reason}`);
  console.log(`skipping ${suite}: ${reason}`);
  return ctx.skip();
}

/** An extra broker process started by {@link startProtonBroker}. */
export interface ProtonBrokerProcess {
  /** Its URL, `amqp://127.0.0.1:<port>`. */
  readonly url: string;
  /** Its process id. */
  readonly pid: number;
  /** Terminates the process (SIGKILL after 5 s) and resolves once it has exited; its port is then closed. */
  stop(): Promise<void>;
  /** Crashes it: SIGKILL at once, resolves once it has exited (what it stored in memory is gone). */
  kill(): Promise<void>;
}

/** Brokers started here and still running; killed if the test process exits first. */
const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/** The last few kilobytes a process wrote, for error messages. */
function outputTail(child: ChildProcess): () => string {
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-2000);
  };
  // keep draining: the broker logs every link, and a full pipe would block it
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => tail.trim();
}

/** Resolves when `child` has exited, at once if it already has. */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

/** Resolves once `child` prints `line`; rejects when it exits first or after `ms`. */
function awaitOutput(child: ChildProcess, line: string, ms: number, tail: () => string): Promise<void> {
  return new Promise((ready, fail) => {
    let seen = '';
    const finish = (error?: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', watch);
      child.off('exit', onExit);
      child.off('error', finish);
      if (error) fail(error);
      else ready();
    };
    const watch = (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-1000);
      if (seen.includes(line)) finish();
    };
    const onExit = (code: number | null, signal: string | null) =>
      finish(new Error(`proton broker exited (${signal ?? code}) before listening: ${tail()}`));
    const timer = setTimeout(() => finish(new Error(`proton broker not listening after ${ms} ms: ${tail()}`)), ms);
    child.stdout?.on('data', watch);
    child.once('exit', onExit);
    child.once('error', finish);
  });
}

/** Terminates `child` and waits for its exit, escalating to SIGKILL after {@link STOP_MS}. */
async function terminate(child: ChildProcess): Promise<void> {
  const gone = exited(child);
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const escalate = new Promise<void>((done) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      done();
    }, STOP_MS);
  });
  await Promise.race([gone, escalate]);
  clearTimeout(timer);
  await gone;
  running.delete(child);
}

/**
 * Starts an extra Qpid Proton C++ broker on 127.0.0.1:`port` (for failover and restart tests)
 * and resolves once it listens. Needs the binary that `scripts/peers.sh start` builds.
 *
 * @example
 * const broker = await startProtonBroker(await freePort());
 * // ... connect to broker.url ...
 * await broker.stop();
 */
export async function startProtonBroker(port: number): Promise<ProtonBrokerProcess> {
  const bin = protonBrokerBin();
  if (!existsSync(bin)) throw new Error(`proton broker not found at ${bin} (build it with: bash scripts/peers.sh start)`);
  const child = spawn(bin, ['-a', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const tail = outputTail(child);
  try {
    await awaitOutput(child, `broker listening on ${port}`, START_MS, tail);
    if (!(await portOpen(port, '127.0.0.1', PROBE_MS))) throw new Error(`proton broker said it listens but port ${port} refuses connections`);
  } catch (error) {
    await terminate(child);
    throw error;
  }
  const kill = async () => {
    const gone = exited(child);
    child.kill('SIGKILL');
    await gone;
    running.delete(child);
  };
  return { url: `amqp://127.0.0.1:${port}`, pid: child.pid!, stop: () => terminate(child), kill };
}

/** Runs `scripts/peers.sh ARGS...` and resolves when it succeeds; rejects with its stderr. */
function runPeersScript(...args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    execFile('bash', [peersScript(), ...args], { timeout: SCRIPT_MS }, (error, _stdout, stderr) => {
      if (error) fail(new Error(`peers.sh ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
      else done();
    });
  });
}

/**
 * Simulates an outage of the shared RabbitMQ node: `'stop'` stops its application
 * (`rabbitmqctl stop_app`) and resolves once the AMQP port is closed; `'start'` starts it
 * again and resolves once the port accepts connections. Runs `scripts/peers.sh restart-rabbitmq`.
 * Note: RabbitMQ drops its non-durable queues, and their messages, on `stop`.
 */
export function restartRabbitmq(action: 'stop' | 'start'): Promise<void> {
  return runPeersScript('restart-rabbitmq', action);
}

/**
 * Crashes the shared RabbitMQ node (`scripts/peers.sh kill-rabbitmq`: SIGKILL to its Erlang VM)
 * and resolves once it is gone. Start it again with {@link startKeptRabbitmq}.
 */
export function killRabbitmq(): Promise<void> {
  return runPeersScript('kill-rabbitmq');
}

/**
 * Starts the RabbitMQ node again after {@link killRabbitmq}, on its kept data (durable queues
 * and persistent messages survive), and resolves once it serves AMQP (`scripts/peers.sh start-rabbitmq`).
 */
export function startKeptRabbitmq(): Promise<void> {
  return runPeersScript('start-rabbitmq');
}

/**
 * For a `before` hook: the path of program `name` (`env` names a variable that may give
 * it, e.g. `OSLO_RX_CHROMIUM`, else it is looked up on PATH). When it is missing, in CI it
 * throws (CI never skips); elsewhere it prints one line saying how to install it and skips.
 *
 * @param install how to get it, e.g. `bash scripts/peers.sh start`
 */
export function requireProgram(ctx: Mocha.Context, name: string, env: string, install: string): string {
  const candidates = [process.env[env], ...(process.env.PATH ?? '').split(':').map((dir) => (dir ? resolve(dir, name) : undefined))];
  const found = candidates.find((path): path is string => path !== undefined && path !== '' && existsSync(path));
  if (found) return found;
  const suite = ctx.test?.parent?.fullTitle() || ctx.test?.title || 'suite';
  const reason = `${name} not found (${env} or PATH; install it with: ${install})`;
  if (inCi()) throw new Error(`${suite}: ${reason}`);
  console.log(`skipping ${suite}: ${reason}`);
  ctx.skip();
}
