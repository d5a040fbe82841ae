/**
 * The parent side of the benchmark's line protocol (see worker-protocol.ts): a child process
 * (a Node role or the Python peer) that answers JSON commands.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const READY_MS = 60_000;
const EXIT_MS = 10_000;

/** Children still running; killed if the benchmark exits first. */
const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/** A running child that answers commands. */
export class BenchChild {
  private nextId = 0;
  private readonly waiting = new Map<number, { done: (r: unknown) => void; fail: (e: Error) => void }>();
  private tail = '';

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    /** What the child said when it became ready (its URL, for an intermediary). */
    readonly facts: Record<string, unknown>,
  ) {}

  /** Its process id. */
  get pid(): number {
    return this.child.pid!;
  }

  /**
   * Spawns `command args` and resolves once it writes its `{ ready: true }` line; rejects if it
   * exits first or is not ready in a minute.
   */
  static start(name: string, command: string, args: readonly string[]): Promise<BenchChild> {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd: resolve(__dirname, '..') });
    running.add(child);
    return new Promise((ready, fail) => {
      let self: BenchChild | undefined;
      let errors = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        errors = (errors + chunk.toString()).slice(-3000);
        if (self) self.tail = errors;
      });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        fail(new Error(`${name} not ready after ${READY_MS} ms: ${errors}`));
      }, READY_MS);
      child.once('exit', (code, signal) => {
        running.delete(child);
        clearTimeout(timer);
        const why = new Error(`${name} exited (${signal ?? code}): ${errors.trim()}`);
        if (!self) fail(why);
        else self.failAll(why);
      });
      createInterface({ input: child.stdout! }).on('line', (line) => {
        let message: { ready?: boolean; id?: number; ok?: boolean; result?: unknown; error?: string };
        try {
          message = JSON.parse(line) as typeof message;
        } catch {
          return; // a stray line (a library printing): not ours
        }
        if (message.ready && !self) {
          clearTimeout(timer);
          self = new BenchChild(name, child, message as Record<string, unknown>);
          self.tail = errors;
          ready(self);
          return;
        }
        const waiter = self?.waiting.get(message.id ?? -1);
        if (!waiter) return;
        self!.waiting.delete(message.id!);
        if (message.ok) waiter.done(message.result);
        else waiter.fail(new Error(`${name}: ${message.error}`));
      });
    });
  }

  /** Spawns a Node role of bench/worker.ts (with `nodeFlags` such as `--expose-gc`). */
  static node(name: string, role: string, options: Record<string, unknown>, nodeFlags: readonly string[] = []): Promise<BenchChild> {
    return BenchChild.start(name, process.execPath, [...nodeFlags, '--import', 'tsx', 'bench/worker.ts', role, JSON.stringify(options)]);
  }

  /** Spawns a role of the Python peer, bench/python_peer.py, with Debian's python3. */
  static python(name: string, role: string, options: Record<string, unknown>): Promise<BenchChild> {
    return BenchChild.start(name, '/usr/bin/python3', ['bench/python_peer.py', role, JSON.stringify(options)]);
  }

  /** Sends `cmd` with `args` and resolves with the child's result. */
  request<T>(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 300_000): Promise<T> {
    const id = ++this.nextId;
    return new Promise<T>((done, fail) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        fail(new Error(`${this.name}: no answer to ${cmd} in ${timeoutMs} ms: ${this.tail.trim()}`));
      }, timeoutMs);
      this.waiting.set(id, {
        done: (r) => {
          clearTimeout(timer);
          done(r as T);
        },
        fail: (e) => {
          clearTimeout(timer);
          fail(e);
        },
      });
      this.child.stdin!.write(`${JSON.stringify({ id, cmd, ...args })}\n`);
    });
  }

  /** Asks the child to exit and waits for it (SIGKILL after 10 s). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const gone = new Promise<void>((done) => this.child.once('exit', () => done()));
    this.request('exit', {}, EXIT_MS).catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), EXIT_MS);
    await gone;
    clearTimeout(timer);
  }

  private failAll(error: Error): void {
    this.waiting.forEach((w) => w.fail(error));
    this.waiting.clear();
  }
}
