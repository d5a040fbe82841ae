/**
 * Bounded waits for tests: every wait names what it waits for and fails with that name.
 */
import { type Observable, filter, firstValueFrom, take, timeout, toArray } from 'rxjs';

/** The first value of `source` that matches `predicate`, or a failure after `ms`. */
export function first<T>(source: Observable<T>, what: string, ms = 10_000, predicate: (v: T) => boolean = () => true): Promise<T> {
  return firstValueFrom(
    source.pipe(
      filter(predicate),
      take(1),
      timeout({ first: ms, with: () => { throw new Error(`timed out after ${ms} ms waiting for ${what}`); } }),
    ),
  );
}

/** The first `n` values of `source`, or a failure after `ms`. */
export function firstN<T>(source: Observable<T>, n: number, what: string, ms = 10_000): Promise<T[]> {
  return firstValueFrom(
    source.pipe(
      take(n),
      toArray(),
      timeout({ first: ms, with: () => { throw new Error(`timed out after ${ms} ms waiting for ${n} × ${what}`); } }),
    ),
  );
}

/** Resolves when `promise` settles or rejects after `ms` naming `what`. */
export function within<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

/** A unique name for queues and topics, so runs never see each other's messages. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Resolves once `condition()` holds (checked every 20 ms, for state that changes
 * without an event to wait on), or rejects after `ms` naming `what`.
 */
export function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  return within(
    new Promise<void>((done) => {
      const check = () => (condition() ? done() : void setTimeout(check, 20).unref());
      check();
    }),
    what,
    ms,
  );
}
