/**
 * oslo's NotificationFilter rule.
 * @module
 */
import type { IncomingNotification } from './incoming-notification';

/** Regular expressions a notification must match (oslo's `NotificationFilter`). */
export interface NotificationFilterSpec {
  /** Matches the publisher id. */
  readonly publisherId?: RegExp | string;
  /** Matches the event type. */
  readonly eventType?: RegExp | string;
  /** Per key: the context value must be a string that matches. */
  readonly context?: Readonly<Record<string, RegExp | string>>;
  /** Per key: the payload value must be a string that matches. */
  readonly payload?: Readonly<Record<string, RegExp | string>>;
  /** Per key (`messageId`, `timestamp`): the metadata value must match. */
  readonly metadata?: Readonly<Record<string, RegExp | string>>;
}

/** Python's `re.match`: the pattern must match at the start of the string. */
function anchored(pattern: RegExp | string): RegExp {
  const source = typeof pattern === 'string' ? pattern : pattern.source;
  const flags = typeof pattern === 'string' ? '' : pattern.flags.replace(/[gy]/g, '');
  return new RegExp(`^(?:${source})`, flags);
}

function matchesValue(value: unknown, pattern: RegExp): boolean {
  return typeof value === 'string' && pattern.test(value);
}

function matchesDict(dict: unknown, patterns: Readonly<Record<string, RegExp>> | undefined): boolean {
  if (!patterns) return true;
  if (typeof dict !== 'object' || dict === null) return Object.keys(patterns).length === 0;
  return Object.entries(patterns).every(([k, p]) => matchesValue((dict as Record<string, unknown>)[k], p));
}

/**
 * A predicate for `spec` with oslo's semantics: every given field must match (`re.match`,
 * anchored at the start); a dict field needs each listed key present with a matching
 * string value; a non-string value never matches.
 *
 * ## Example
 * ```ts
 * const fromCompute = notificationMatcher({ publisherId: 'compute\\.', eventType: /^compute\.instance\./ });
 * listener$.pipe(filter(fromCompute)); // or filterNotifications(spec), which also acks the others
 * ```
 */
export function notificationMatcher(spec: NotificationFilterSpec): (n: IncomingNotification) => boolean {
  const compileDict = (d?: Readonly<Record<string, RegExp | string>>) =>
    d && Object.fromEntries(Object.entries(d).map(([k, p]) => [k, anchored(p)]));
  const publisherId = spec.publisherId === undefined ? undefined : anchored(spec.publisherId);
  const eventType = spec.eventType === undefined ? undefined : anchored(spec.eventType);
  const context = compileDict(spec.context);
  const payload = compileDict(spec.payload);
  const metadata = compileDict(spec.metadata);
  return (n) =>
    (publisherId === undefined || matchesValue(n.publisherId, publisherId)) &&
    (eventType === undefined || matchesValue(n.eventType, eventType)) &&
    matchesDict(n.context, context) &&
    matchesDict(n.payload, payload) &&
    matchesDict(n.metadata, metadata);
}
