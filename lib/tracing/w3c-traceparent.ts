/**
 * W3C Trace Context `traceparent` values, for when no global propagator is registered.
 * @module
 */

/** What a `traceparent` carries. */
export interface Traceparent {
  /** 32 lower-case hex digits, not all zero. */
  readonly traceId: string;
  /** 16 lower-case hex digits, not all zero. */
  readonly spanId: string;
  /** The trace flags (bit 0: sampled). */
  readonly traceFlags: number;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** `traceparent` for a span context (version 00). */
export function formatTraceparent(p: Traceparent): string {
  return `00-${p.traceId}-${p.spanId}-${(p.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/**
 * The span context a `traceparent` value names, or undefined for anything that is not a
 * valid one (wrong shape, version ff, all-zero ids, extra fields on version 00), as the
 * W3C spec says a receiver must treat it.
 */
export function parseTraceparent(value: unknown): Traceparent | undefined {
  if (typeof value !== 'string') return undefined;
  const m = TRACEPARENT.exec(value.trim());
  if (!m) return undefined;
  const [, version, traceId, spanId, flags, rest] = m;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, traceFlags: parseInt(flags, 16) };
}
