/**
 * Figures for fault tests: how each operation ended and how long it took, what was sent
 * against what arrived, printed as one line per scenario so a run states its counts.
 */
import { type Observable, lastValueFrom } from 'rxjs';
import { isMessagingError } from '../../lib';

/** How one operation ended: its value or its error (with the error's code), and its duration. */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T; readonly ms: number }
  | { readonly ok: false; readonly error: unknown; readonly code: string; readonly retryable: boolean; readonly ms: number };

/** Subscribes to `source` now and resolves with how it ended (never rejects). */
export function outcomeOf<T>(source: Observable<T>): Promise<Outcome<T>> {
  const started = Date.now();
  return lastValueFrom(source).then(
    (value): Outcome<T> => ({ ok: true, value, ms: Date.now() - started }),
    (error: unknown): Outcome<T> => ({
      ok: false,
      error,
      code: isMessagingError(error) ? error.code : error instanceof Error ? error.name : typeof error,
      retryable: isMessagingError(error) && error.retryable,
      ms: Date.now() - started,
    }),
  );
}

/** Outcomes counted: how many succeeded, how many failed with each code, and the slowest. */
export interface Tally {
  readonly total: number;
  readonly ok: number;
  readonly failed: Readonly<Record<string, number>>;
  readonly maxMs: number;
}

/** How many times each value occurs. */
export function countBy(values: Iterable<string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

/** Counts `outcomes` by how they ended. */
export function tally(outcomes: readonly Outcome<unknown>[]): Tally {
  const failed = countBy(outcomes.flatMap((o) => (o.ok ? [] : [o.code])));
  const ok = outcomes.filter((o) => o.ok).length;
  return { total: outcomes.length, ok, failed, maxMs: Math.max(0, ...outcomes.map((o) => o.ms)) };
}

/** What was sent against what arrived, by id. */
export interface DeliveryCount {
  readonly sent: number;
  readonly received: number;
  readonly lost: number;
  readonly duplicates: number;
  /** Ids sent and never received (first 10). */
  readonly lostIds: readonly number[];
}

/** Compares the ids reported sent with the ids received (each arrival once per entry). */
export function countDeliveries(sent: Iterable<number>, received: readonly number[]): DeliveryCount {
  const sentSet = new Set(sent);
  const seen = new Set(received);
  const lostIds = [...sentSet].filter((id) => !seen.has(id));
  return { sent: sentSet.size, received: received.length, lost: lostIds.length, duplicates: received.length - seen.size, lostIds: lostIds.slice(0, 10) };
}

/** Prints one line of figures for a scenario, e.g. `figures | cut 1.5 s | calls=20 ok=20 maxMs=2100`. */
export function reportFigures(scenario: string, figures: Readonly<Record<string, unknown>>): void {
  const text = Object.entries(figures)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ');
  console.log(`      figures | ${scenario} | ${text}`);
}
