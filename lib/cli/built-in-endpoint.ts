/**
 * The methods `oslo-rx serve` offers.
 * @module
 */
import { type Observable, map, timer } from 'rxjs';
import type { EndpointTarget } from '../index';

/** An error that reaches callers as Python's `builtins.ValueError`. */
function valueError(message: string): Error {
  return Object.assign(new Error(message), { name: 'ValueError', pythonClass: 'ValueError', pythonModule: 'builtins' });
}

/**
 * The endpoint of `oslo-rx serve`: `echo`, `ping`, `sleep` and `fail`, for trying a
 * transport, an intermediary or a peer.
 */
export class BuiltInEndpoint {
  /** @param target the namespace and version served */
  constructor(readonly target: EndpointTarget) {}

  /** Returns its arguments. */
  echo(_context: unknown, args: unknown): unknown {
    return args;
  }

  /** Returns `'pong'`. */
  ping(): string {
    return 'pong';
  }

  /** Waits `seconds` (a number, at least 0), then returns `'slept'`. */
  sleep(_context: unknown, args: { seconds?: unknown }): Observable<string> {
    const seconds = Number(args?.seconds ?? 0);
    if (typeof args?.seconds === 'boolean' || !Number.isFinite(seconds) || seconds < 0) throw valueError(`sleep: seconds must be a number of at least 0, got ${JSON.stringify(args?.seconds)}`);
    return timer(seconds * 1000).pipe(map(() => 'slept'));
  }

  /** Raises `ValueError(message)`. */
  fail(_context: unknown, args: { message?: unknown }): never {
    throw valueError(String(args?.message ?? 'failed on request'));
  }
}
