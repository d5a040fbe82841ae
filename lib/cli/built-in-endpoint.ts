/**
 * The methods `oslo-rx serve` offers.
 * @module
 */
import { type Observable, map, mergeMap, of, throwError, timer } from 'rxjs';
import type { EndpointTarget } from '../index';

/** An error that reaches callers as Python's `builtins.ValueError`. */
function valueError(message: string): Error {
  return Object.assign(new Error(message), { name: 'ValueError', pythonClass: 'ValueError', pythonModule: 'builtins' });
}

/**
 * The endpoint of `oslo-rx serve`: `echo`, `ping`, `sleep` and `fail`, for trying a
 * transport, an intermediary or a peer. Every method first waits `delayMs`, to simulate work.
 */
export class BuiltInEndpoint {
  /**
   * @param target the namespace and version served
   * @param delayMs how long each method works before it answers
   */
  constructor(
    readonly target: EndpointTarget,
    private readonly delayMs = 0,
  ) {}

  /** Returns its arguments. */
  echo(_context: unknown, args: unknown): Observable<unknown> {
    return this.after(() => of(args));
  }

  /** Returns `'pong'`. */
  ping(): Observable<string> {
    return this.after(() => of('pong'));
  }

  /** Waits `seconds` (a number, at least 0), then returns `'slept'`. */
  sleep(_context: unknown, args: { seconds?: unknown }): Observable<string> {
    const seconds = Number(args?.seconds ?? 0);
    if (typeof args?.seconds === 'boolean' || !Number.isFinite(seconds) || seconds < 0) throw valueError(`sleep: seconds must be a number of at least 0, got ${JSON.stringify(args?.seconds)}`);
    return this.after(() => timer(seconds * 1000).pipe(map(() => 'slept')));
  }

  /** Raises `ValueError(message)`. */
  fail(_context: unknown, args: { message?: unknown }): Observable<never> {
    return this.after(() => throwError(() => valueError(String(args?.message ?? 'failed on request'))));
  }

  /** `answer`, after the delay (at once without one). */
  private after<T>(answer: () => Observable<T>): Observable<T> {
    return this.delayMs > 0 ? timer(this.delayMs).pipe(mergeMap(answer)) : answer();
  }
}
