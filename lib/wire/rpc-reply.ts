/**
 * RPC replies and heartbeats on the wire.
 * @module
 */
import { type Either, left, right } from 'fp-ts/Either';
import * as t from 'io-ts';
import type { Message } from 'rhea-promise';
import { NO_BODY, bodyText, encodeBody, parseBodyText } from './body';
import { decodeWith } from './decode-with';
import type { InvalidMessage } from './errors';
import { type FailureInfo, failureFromError, parseFailure, serializeFailure } from './failure';
import { JsonObject } from './json-codecs';
import type { JsonEncodingOptions } from './json-dumps';
import { type MessageId, correlationIdFor, isMessageId } from './message-id';

/** The answer to a call: the method's result, or the failure it raised. */
export type RpcReply =
  | { readonly kind: 'response'; readonly result: unknown }
  | { readonly kind: 'failure'; readonly failure: FailureInfo };

/** A reply body as it crosses the wire: `{"response": X}` or `{"failure": "<failure JSON>"}`. */
export type RpcReplyWire = { readonly response: unknown } | { readonly failure: string };

/** A reply carrying `result` (undefined is sent as null, like Python's None). */
export function responseReply(result: unknown): RpcReply {
  return { kind: 'response', result: result === undefined ? null : result };
}

/** A reply carrying `error` in oslo's failure format (see {@link failureFromError}). */
export function failureReply(error: unknown): RpcReply {
  return { kind: 'failure', failure: failureFromError(error) };
}

/**
 * The codec of reply bodies. As oslo reads them: a non-null `"failure"` is a failure (a
 * string holding the failure dict as JSON), otherwise the result is `"response"`, null when
 * absent.
 */
export const RpcReplyCodec: t.Type<RpcReply, RpcReplyWire, unknown> = new t.Type(
  'RpcReply',
  (u): u is RpcReply => JsonObject.is(u) && (u.kind === 'response' ? 'result' in u : u.kind === 'failure' && JsonObject.is(u.failure)),
  (u, c) => {
    if (!JsonObject.is(u)) return t.failure(u, c);
    const failure = u.failure;
    if (failure === undefined || failure === null) return t.success(responseReply(u.response));
    const fc = t.appendContext(c, 'failure', t.string, failure);
    if (typeof failure !== 'string') return t.failure(failure, fc);
    const parsed = parseFailure(failure);
    return parsed._tag === 'Left' ? t.failure(failure, fc, parsed.left.reason) : t.success({ kind: 'failure', failure: parsed.right });
  },
  (r) => (r.kind === 'response' ? { response: r.result } : { failure: serializeFailure(r.failure) }),
);

/** Where a reply or heartbeat goes. */
export interface ReplyAddressing {
  /** The request's `reply_to`. */
  readonly to: string;
  /** The request's message-id; echoed as the correlation-id with the same AMQP type. */
  readonly correlationId: MessageId;
}

/**
 * The rhea message of a reply: `to` the request's reply address, the request's message-id as
 * correlation-id (same AMQP type, see {@link correlationIdFor}), the reply as body.
 * @throws TypeError when the result cannot be written as JSON (a circular structure)
 */
export function buildReplyMessage(reply: RpcReply, options: ReplyAddressing & JsonEncodingOptions): Message {
  return {
    to: options.to,
    correlation_id: correlationIdFor(options.correlationId),
    body: encodeBody(RpcReplyCodec.encode(reply), options),
  };
}

/**
 * The rhea message of a call-monitor heartbeat: no body section at all, the request's
 * message-id as correlation-id and `ttl` = the caller's call-monitor timeout, so stale
 * heartbeats expire. Send one only for a request that carried a call-monitor timeout: Python
 * callers without a monitor fail on a heartbeat.
 */
export function buildHeartbeatMessage(options: ReplyAddressing & { readonly callMonitorTimeoutMs: number }): Message {
  const ttl = Math.min(0xffffffff, Math.max(0, Math.ceil(options.callMonitorTimeoutMs)));
  return { to: options.to, correlation_id: correlationIdFor(options.correlationId), ttl, body: NO_BODY };
}

/** What arrives on the reply link: a reply, or a heartbeat (a message without a body). */
export type ReceivedReply = (RpcReply | { readonly kind: 'heartbeat' }) & {
  /** The correlation-id: the message-id of the call answered. */
  readonly correlationId?: MessageId;
};

/** `r` with the correlation-id when there is one; literals of a fixed shape, not spreads (this runs once per reply). */
function withCorrelationId(r: RpcReply | { readonly kind: 'heartbeat' }, cid: unknown): ReceivedReply {
  if (!isMessageId(cid)) return r;
  switch (r.kind) {
    case 'heartbeat': return { kind: 'heartbeat', correlationId: cid };
    case 'response': return { kind: 'response', result: r.result, correlationId: cid };
    default: return { kind: 'failure', failure: r.failure, correlationId: cid };
  }
}

/**
 * Decodes a message received on the reply link: no body (an AMQP null body, or an empty one as
 * RabbitMQ 3.x delivers it) is a heartbeat,
 * anything else must be a reply body. Never throws: a bad body is a `Left` with the reason.
 */
export function decodeReplyMessage(
  message: { readonly body?: unknown; readonly correlation_id?: unknown },
): Either<InvalidMessage, ReceivedReply> {
  const cid = message.correlation_id;
  const withId = (r: RpcReply | { readonly kind: 'heartbeat' }): Either<InvalidMessage, ReceivedReply> => right(withCorrelationId(r, cid));
  if (message.body === undefined || message.body === null) return withId({ kind: 'heartbeat' });
  const text = bodyText(message.body);
  if (text._tag === 'Left') return text;
  // RabbitMQ 3.x turns a message without a body into one with an empty data section
  if (text.right === '') return withId({ kind: 'heartbeat' });
  const json = parseBodyText(text.right);
  if (json._tag === 'Left') return json;
  const reply = decodeWith(RpcReplyCodec, json.right, 'RPC reply');
  return reply._tag === 'Left' ? left(reply.left) : withId(reply.right);
}
