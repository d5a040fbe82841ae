/**
 * Timestamps as Python writes them.
 * @module
 */

/**
 * `date` as Python's `str(datetime.utcnow())` writes it, the form of a notification's
 * `timestamp`: `YYYY-MM-DD HH:MM:SS.ffffff` in UTC, without a zone, the fraction left out
 * when it is zero. JavaScript dates hold milliseconds, so the last three digits are zeros.
 *
 * ```ts
 * pythonUtcTimestamp(new Date(Date.UTC(2026, 10, 25, 6, 40, 5, 786))) // '2026-11-25 06:40:05.786000'
 * ```
 */
export function pythonUtcTimestamp(date: Date = new Date()): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const ms = date.getUTCMilliseconds();
  const base = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return ms === 0 ? base : `${base}.${pad(ms * 1000, 6)}`;
}
