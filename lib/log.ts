/**
 * Logging: the `debug` package, silent unless enabled (`DEBUG=oslo-rx:*`).
 * @module
 */
import createDebug from 'debug';

/** A log function of one component; printf-style like `debug`. Never pass a password or an unredacted URL. */
export type Log = (formatter: string, ...args: unknown[]) => void;

/** The logger of `component`, under the `oslo-rx:` namespace (e.g. `oslo-rx:transport`). */
export function logger(component: string): Log {
  return createDebug(`oslo-rx:${component}`);
}
