/**
 * The server side of every Node measurement: counts what a server or listener handled and the
 * CPU it used since `window-start`, and resolves `expect` once a count is reached.
 */
import { performance } from 'node:perf_hooks';
import { cpuMicrosSince } from './stats';

/** What a server reports for a window. */
export interface ServerWindow {
  /** Messages handled (requests answered, casts or notifications acked) in the window. */
  readonly handled: number;
  /** CPU (user + system) this process used in the window, microseconds. */
  readonly cpuMicros: number;
  /** Time from `window-start` to the last message counted, seconds. */
  readonly seconds: number;
}

/** A server's counter and CPU window. */
export class ServerCounter {
  private handled = 0;
  private cpu = process.cpuUsage();
  private t0 = performance.now();
  private lastAt = this.t0;
  private waiters: { n: number; done: (w: ServerWindow) => void }[] = [];

  /** Counts `n` handled messages. */
  count(n = 1): void {
    this.handled += n;
    this.lastAt = performance.now();
    if (this.waiters.length === 0) return;
    const window = this.window();
    this.waiters = this.waiters.filter((w) => (w.n <= this.handled ? (w.done(window), false) : true));
  }

  /** Starts a new window: zero counted, CPU from now. */
  start(): void {
    this.handled = 0;
    this.cpu = process.cpuUsage();
    this.t0 = performance.now();
    this.lastAt = this.t0;
  }

  /** The window so far. */
  window(): ServerWindow {
    return { handled: this.handled, cpuMicros: cpuMicrosSince(this.cpu), seconds: (this.lastAt - this.t0) / 1000 };
  }

  /** Resolves with the window once `n` messages were counted in it (rejects after `ms`). */
  expect(n: number, ms: number): Promise<ServerWindow> {
    if (this.handled >= n) return Promise.resolve(this.window());
    return new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`only ${this.handled} of ${n} handled in ${ms} ms`)), ms);
      this.waiters.push({
        n,
        done: (w) => {
          clearTimeout(timer);
          done(w);
        },
      });
    });
  }

  /** Answers the window commands (`window-start`, `window`, `expect`); undefined for others. */
  handle(cmd: string, args: Record<string, unknown>): Promise<unknown> | undefined {
    if (cmd === 'window-start') return Promise.resolve(this.start());
    if (cmd === 'window') return Promise.resolve(this.window());
    if (cmd === 'expect') return this.expect(Number(args.n), Number(args.timeoutMs ?? 120_000));
    return undefined;
  }
}
