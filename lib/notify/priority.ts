/**
 * oslo's notification priorities.
 * @module
 */

/** The priorities, in oslo's order; `warning` is an alias of `warn`. */
export const PRIORITIES = ['audit', 'debug', 'info', 'warn', 'error', 'critical', 'sample'] as const;

/** One notification priority (lower case, as in addresses; bodies carry it upper case). */
export type Priority = (typeof PRIORITIES)[number];

/** The priorities by oslo's upper-case names: `Priority.INFO === 'info'`, `Priority.WARNING === 'warn'`. */
export const Priority = Object.freeze({
  AUDIT: 'audit',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  WARNING: 'warn',
  ERROR: 'error',
  CRITICAL: 'critical',
  SAMPLE: 'sample',
} as const);

/**
 * The priority for a name in any case, mapping the alias `warning` to `warn`; undefined if unknown.
 *
 * ## Example
 * ```ts
 * priorityNamed('WARNING'); // 'warn'
 * priorityNamed('loud');    // undefined
 * ```
 */
export function priorityNamed(name: string): Priority | undefined {
  const lower = name.toLowerCase();
  const p = lower === 'warning' ? 'warn' : lower;
  return (PRIORITIES as readonly string[]).includes(p) ? (p as Priority) : undefined;
}
