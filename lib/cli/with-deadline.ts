/**
 * @module
 */
import { type MonoTypeOperatorFunction, identity, throwError, timeout } from 'rxjs';
import { MessagingTimeout } from '../index';

/** Errors with `MessagingTimeout` when the source has not finished within `ms` (no deadline when undefined). */
export function withDeadline<T>(ms: number | undefined, what: string): MonoTypeOperatorFunction<T> {
  if (ms === undefined) return identity;
  return timeout({ first: ms, with: () => throwError(() => new MessagingTimeout(`${what} not acknowledged within ${ms} ms`, ms)) });
}
