/**
 * @module
 */

/** A promise that settles when a long-running command must stop, and how to stop listening. */
export interface StopSignal {
  /** Resolves with the reason (`SIGINT`, `SIGTERM` or `aborted`). */
  readonly stopped: Promise<string>;
  /** Removes the signal handlers. */
  dispose(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Listens for SIGINT and SIGTERM (and for `signal`, when given) so a command can stop
 * cleanly; while it listens, those signals no longer end the process by themselves.
 */
export function stopSignal(signal?: AbortSignal): StopSignal {
  let dispose = () => {};
  const stopped = new Promise<string>((resolve) => {
    const handlers = SIGNALS.map((name) => [name, () => resolve(name)] as const);
    const onAbort = () => resolve('aborted');
    for (const [name, handler] of handlers) process.on(name, handler);
    if (signal?.aborted) resolve('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    dispose = () => {
      for (const [name, handler] of handlers) process.off(name, handler);
      signal?.removeEventListener('abort', onAbort);
    };
  });
  return { stopped, dispose: () => dispose() };
}
