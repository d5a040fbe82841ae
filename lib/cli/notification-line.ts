/**
 * How `oslo-rx listen` prints a notification.
 * @module
 */
import type { IncomingNotification } from '../index';

/** A notification as a plain object (what a JSON line holds). */
export function notificationRecord(n: IncomingNotification): Record<string, unknown> {
  const { priority, publisherId, eventType, payload, context, metadata, version } = n;
  return { priority, publisherId, eventType, payload, context, metadata, version };
}

/** A notification as one JSON line (no newline). */
export function jsonLine(n: IncomingNotification): string {
  return JSON.stringify(notificationRecord(n));
}

/** A notification as one line for people: time, priority, publisher, event type, payload. */
export function prettyLine(n: IncomingNotification): string {
  const at = n.metadata.timestamp ?? new Date().toISOString();
  return `${at} ${String(n.priority).toUpperCase().padEnd(8)} ${n.publisherId ?? '-'} ${n.eventType ?? '-'} ${JSON.stringify(n.payload)}`;
}
