/**
 * Notifications on the wire (the `messaging` and `messagingv2` drivers).
 * @module
 */
import { type Either, left, right } from 'fp-ts/Either';
import * as t from 'io-ts';
import type { Message } from 'rhea-promise';
import { decodeBody, encodeBody } from './body';
import { decodeWith } from './decode-with';
import { type Envelope, wrapEnvelope } from './envelope';
import { readEnvelopedBody, validateEnvelopedBody } from './enveloped-body';
import type { InvalidMessage } from './errors';
import { JsonObject, nullable } from './json-codecs';
import type { JsonEncodingOptions } from './json-dumps';
import { newNotificationId } from './message-id';
import { pythonUtcTimestamp } from './python-timestamp';
import { sanitizeNotificationContext } from './sanitize-context';

/**
 * The notification formats: 1 (oslo's `messaging` driver, the message as it is) and 2
 * (`messagingv2`, the message in an oslo envelope).
 */
export type NotificationVersion = 1 | 2;

/** A notification message (oslo's message dict). Absent fields are sent as null. */
export interface NotificationMessage {
  /** `message_id`: a dashed uuid4. */
  readonly messageId?: string;
  /** `publisher_id`, e.g. `compute.host1`. */
  readonly publisherId?: string;
  /** `event_type`, e.g. `compute.instance.create.end`. */
  readonly eventType?: string;
  /** `priority`: upper case when sent (`INFO`, `WARN`...); received as sent (may be `""`). */
  readonly priority: string;
  /** `payload`: any JSON value. */
  readonly payload: unknown;
  /** `timestamp`: UTC in Python's `str(datetime)` form. */
  readonly timestamp?: string;
}

/** The fields of a new notification. */
export interface NewNotification {
  /** The publisher id. */
  readonly publisherId: string;
  /** The event type. */
  readonly eventType: string;
  /** The priority, any case (`warn`, not the alias `warning`); sent upper case. */
  readonly priority: string;
  /** The payload. */
  readonly payload: unknown;
  /** When it happened (default: now). */
  readonly date?: Date;
  /** The message id (default: a new dashed uuid4). */
  readonly messageId?: string;
}

/** A new notification message as oslo's Notifier makes it (new id, upper-case priority, timestamp). */
export function newNotificationMessage(n: NewNotification): NotificationMessage {
  return {
    messageId: n.messageId ?? newNotificationId(),
    publisherId: n.publisherId,
    eventType: n.eventType,
    priority: n.priority.toUpperCase(),
    payload: n.payload === undefined ? null : n.payload,
    timestamp: pythonUtcTimestamp(n.date ?? new Date()),
  };
}

/** A notification body: the message, its context and its format. */
export interface NotificationBody {
  /** The notification message. */
  readonly message: NotificationMessage;
  /** The (sanitized) context dict, or null. */
  readonly context: Readonly<Record<string, unknown>> | null;
  /** The format: 2 if the message is in an envelope. */
  readonly version: NotificationVersion;
}

/** oslo's notification message dict, in Python's key order. */
export interface NotificationMessageWire {
  /** The message id. */
  readonly message_id: string | null;
  /** The publisher id. */
  readonly publisher_id: string | null;
  /** The event type. */
  readonly event_type: string | null;
  /** The priority. */
  readonly priority: string;
  /** The payload. */
  readonly payload: unknown;
  /** The timestamp. */
  readonly timestamp: string | null;
}

/** A notification body as it crosses the wire. */
export interface NotificationBodyWire {
  /** The message dict (version 1) or an envelope holding it (version 2). */
  readonly request: NotificationMessageWire | Envelope;
  /** The context. */
  readonly context: Readonly<Record<string, unknown>> | null;
}

const MessageDict = t.partial({
  message_id: nullable(t.string),
  publisher_id: nullable(t.string),
  event_type: nullable(t.string),
  priority: t.string,
  payload: t.unknown,
  timestamp: nullable(t.string),
}, 'notification');

const Body = t.intersection([
  t.type({ request: t.unknown }),
  t.partial({ context: nullable(JsonObject) }),
], 'notification body');

function encodeMessage(m: NotificationMessage): NotificationMessageWire {
  return {
    message_id: m.messageId ?? null,
    publisher_id: m.publisherId ?? null,
    event_type: m.eventType ?? null,
    priority: m.priority,
    payload: m.payload === undefined ? null : m.payload,
    timestamp: m.timestamp ?? null,
  };
}

/** The notification read from checked parts; the one place both readers below build it. */
function notificationOf(d: t.TypeOf<typeof MessageDict>, context: Readonly<Record<string, unknown>> | null | undefined, enveloped: boolean): NotificationBody {
  // plain assignments in oslo's key order, not spreads of computed keys (microseconds each)
  const message: { -readonly [K in keyof NotificationMessage]?: NotificationMessage[K] } = {};
  if (d.message_id !== undefined && d.message_id !== null) message.messageId = d.message_id;
  if (d.publisher_id !== undefined && d.publisher_id !== null) message.publisherId = d.publisher_id;
  if (d.event_type !== undefined && d.event_type !== null) message.eventType = d.event_type;
  message.priority = d.priority ?? '';
  message.payload = d.payload === undefined ? null : d.payload;
  if (d.timestamp !== undefined && d.timestamp !== null) message.timestamp = d.timestamp;
  return { message: message as NotificationMessage, context: context ?? null, version: enveloped ? 2 : 1 };
}

/**
 * The fast reader of notification bodies: the codecs' plain `is` checks, no io-ts decoding. Gives
 * what {@link validateNotificationBody} gives for a well-formed body, and undefined for
 * anything it does not accept (then {@link validateNotificationBody} says what is wrong).
 */
export function readNotificationBody(u: unknown): NotificationBody | undefined {
  const v = readEnvelopedBody(u, Body, MessageDict);
  return v && notificationOf(v.dict, v.body.context, v.enveloped);
}

/**
 * The io-ts reader of notification bodies: the reference the fast reader matches, and the one
 * that explains a bad body (for use inside an io-ts `validate`).
 */
export function validateNotificationBody(u: unknown, c: t.Context): t.Validation<NotificationBody> {
  const v = validateEnvelopedBody(u, c, Body, MessageDict);
  return v._tag === 'Left' ? v : t.success(notificationOf(v.right.dict, v.right.body.context, v.right.enveloped));
}

/** The wire form of `b`, the inner JSON of a version 2 envelope written as `options` ask. */
function encodeNotificationBody(b: NotificationBody, options?: JsonEncodingOptions): NotificationBodyWire {
  const message = encodeMessage(b.message);
  return { request: b.version === 2 ? wrapEnvelope(message, options) : message, context: b.context };
}

/**
 * The codec of notification bodies: `{"request": <message dict or envelope>, "context": ...}`.
 * Decoding unwraps an envelope (giving version 2) and reads the dict as oslo's listener does
 * (missing fields are absent, a missing priority is `""`, a missing payload null); it fails on
 * a request that is not a dict or a field of the wrong type. A well-formed body is read by
 * plain checks; io-ts runs only to explain a bad one.
 */
export const NotificationBodyCodec: t.Type<NotificationBody, NotificationBodyWire, unknown> = new t.Type(
  'NotificationBody',
  (u): u is NotificationBody => JsonObject.is(u) && JsonObject.is(u.message) && (u.version === 1 || u.version === 2) &&
    (u.context === null || JsonObject.is(u.context)),
  (u, c) => {
    const fast = readNotificationBody(u);
    return fast === undefined ? validateNotificationBody(u, c) : t.success(fast);
  },
  (b) => encodeNotificationBody(b),
);

/**
 * The rhea message of a notification: only `to` and the body. The context is passed through
 * {@link sanitizeNotificationContext} here, so credentials such as `auth_token` never leave.
 * @throws TypeError when the payload cannot be written as JSON (a circular structure)
 */
export function buildNotificationMessage(body: NotificationBody, options: { readonly to: string } & JsonEncodingOptions): Message {
  const safe: NotificationBody = { message: body.message, context: sanitizeNotificationContext(body.context), version: body.version };
  return { to: options.to, body: encodeBody(encodeNotificationBody(safe, options), options) };
}

/**
 * Decodes a received notification message, format 1 or 2. Never throws: a body that is not a
 * notification is a `Left` with the reason.
 */
export function decodeNotificationMessage(message: { readonly body?: unknown }): Either<InvalidMessage, NotificationBody> {
  const json = decodeBody(message.body);
  if (json._tag === 'Left') return json;
  const body = decodeWith(NotificationBodyCodec, json.right, 'notification');
  return body._tag === 'Left' ? left(body.left) : right(body.right);
}
