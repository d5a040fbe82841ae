/**
 * The operator that ends a span with the Observable it traces.
 * @module
 */
import { type MonoTypeOperatorFunction, Observable, identity } from 'rxjs';
import type { MessageSpan } from './message-span';

/**
 * Ends `span` when the source ends: on its first value or completion (ok), on an error
 * (failed with it: a remote error, a timeout, a refusal), or on unsubscribe before either
 * (cancelled). Without a span (tracing off) it is the identity: nothing is added.
 */
export function tracedBy<T>(span: MessageSpan | undefined): MonoTypeOperatorFunction<T> {
  if (!span) return identity;
  return (source) =>
    new Observable<T>((subscriber) => {
      const subscription = source.subscribe({
        next: (value) => {
          span.end();
          subscriber.next(value);
        },
        error: (e: unknown) => {
          span.end(e);
          subscriber.error(e);
        },
        complete: () => {
          span.end();
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        span.cancel();
      };
    });
}
