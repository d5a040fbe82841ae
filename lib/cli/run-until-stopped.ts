/**
 * @module
 */
import type { Observable, Subscription } from 'rxjs';
import type { Transport } from '../index';

/** How long a stopping `serve` or `listen` lets in-flight work finish. */
export const DRAIN_MS = 2000;

/**
 * Runs `source` until it completes, errors (the error is thrown) or `stopped` settles,
 * or until the transport fails for good before it opens; then closes the transport,
 * letting held messages be settled for up to {@link DRAIN_MS}, and unsubscribes.
 *
 * @param onOpen called once the transport first opens
 */
export async function runUntilStopped(source: Observable<unknown>, transport: Transport, stopped: Promise<unknown>, onOpen: () => void): Promise<void> {
  let subscription: Subscription | undefined;
  const ended = new Promise<void>((resolve, reject) => {
    subscription = source.subscribe({ error: reject, complete: resolve });
  });
  const failed = transport.ready().then(() => {
    onOpen();
    return new Promise<never>(() => {});
  });
  try {
    await Promise.race([ended, stopped, failed]);
  } finally {
    await transport.close({ drainMs: DRAIN_MS });
    subscription?.unsubscribe();
  }
}
