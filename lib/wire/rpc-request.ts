/**
 * RPC requests (calls and casts) on the wire.
 * @module
 */
import { type Either, left, right } from 'fp-ts/Either';
import * as t from 'io-ts';
import type { Message } from 'rhea-promise';
import { decodeBody, encodeBody } from './body';
import { decodeWith } from './decode-with';
import { readEnvelopedBody, validateEnvelopedBody } from './enveloped-body';
import type { InvalidMessage } from './errors';
import { JsonObject, NonNegativeNumber, nullable } from './json-codecs';
import type { JsonEncodingOptions } from './json-dumps';
import { type MessageId, isMessageId, newCallMessageId } from './message-id';

/** A request to run `method` on a server. */
export interface RpcRequest {
  /** The endpoint method to run. */
  readonly method: string;
  /** The keyword arguments of the method. */
  readonly args: Readonly<Record<string, unknown>>;
  /** The endpoint namespace the request is for, if any. */
  readonly namespace?: string;
  /** The API version the request needs, if any (the server assumes `1.0`). */
  readonly version?: string;
  /** The request context (a dict), or null. */
  readonly context: Readonly<Record<string, unknown>> | null;
  /** Calls only: the caller's call-monitor timeout; the server sends heartbeats every half of it. */
  readonly callMonitorTimeoutMs?: number;
}

/** The `"request"` dict of a request body, in Python's key order. */
export interface RpcRequestDictWire {
  /** The method name. */
  readonly method: string;
  /** The keyword arguments. */
  readonly args: Readonly<Record<string, unknown>>;
  /** Present only when the target has a namespace. */
  readonly namespace?: string;
  /** Present only when the target has a version. */
  readonly version?: string;
}

/** A request body as it crosses the wire, in Python's key order. */
export interface RpcRequestWire {
  /** The request dict. */
  readonly request: RpcRequestDictWire;
  /** The context dict, or null. */
  readonly context: Readonly<Record<string, unknown>> | null;
  /** Calls with a call monitor only: the monitor timeout in seconds. */
  readonly call_monitor_timeout?: number;
}

const RequestDict = t.intersection([
  t.type({ method: t.string }),
  t.partial({ args: JsonObject, namespace: nullable(t.string), version: nullable(t.string) }),
], 'request');

const Body = t.intersection([
  t.type({ request: t.unknown }),
  t.partial({ context: nullable(JsonObject), call_monitor_timeout: nullable(NonNegativeNumber) }),
], 'RPC request body');

function isRpcRequest(u: unknown): u is RpcRequest {
  if (!JsonObject.is(u)) return false;
  const r = u as Record<string, unknown>;
  return typeof r.method === 'string' && JsonObject.is(r.args) && (r.context === null || JsonObject.is(r.context)) &&
    (r.namespace === undefined || typeof r.namespace === 'string') &&
    (r.version === undefined || typeof r.version === 'string') &&
    (r.callMonitorTimeoutMs === undefined || NonNegativeNumber.is(r.callMonitorTimeoutMs));
}

function encodeRequest(r: RpcRequest): RpcRequestWire {
  const request: { -readonly [K in keyof RpcRequestDictWire]: RpcRequestDictWire[K] } = { method: r.method, args: r.args };
  if (r.namespace !== undefined) request.namespace = r.namespace;
  if (r.version !== undefined) request.version = r.version;
  return r.callMonitorTimeoutMs === undefined
    ? { request, context: r.context }
    : { request, context: r.context, call_monitor_timeout: r.callMonitorTimeoutMs / 1000 };
}

/** The request read from checked parts; the one place both readers below build it. */
function requestOf(
  dict: { readonly method: string; readonly args?: Readonly<Record<string, unknown>>; readonly namespace?: string | null; readonly version?: string | null },
  context: Readonly<Record<string, unknown>> | null | undefined,
  callMonitorTimeout: number | null | undefined,
): RpcRequest {
  const { method, args, namespace, version } = dict;
  const request: { -readonly [K in keyof RpcRequest]: RpcRequest[K] } = { method, args: args ?? {}, context: context ?? null };
  if (namespace !== undefined && namespace !== null) request.namespace = namespace;
  if (version !== undefined && version !== null) request.version = version;
  // seconds to ms, rounded to the microsecond so 1.001 s reads as 1001 ms
  if (callMonitorTimeout !== undefined && callMonitorTimeout !== null) request.callMonitorTimeoutMs = Math.round(callMonitorTimeout * 1e6) / 1e3;
  return request;
}

/**
 * The fast reader of request bodies: the codecs' plain `is` checks, no io-ts decoding. Gives the
 * request {@link validateRequestBody} gives for a well-formed body, and undefined for anything
 * it does not accept (then {@link validateRequestBody} says what is wrong).
 */
export function readRequestBody(u: unknown): RpcRequest | undefined {
  const v = readEnvelopedBody(u, Body, RequestDict);
  return v && requestOf(v.dict, v.body.context, v.body.call_monitor_timeout);
}

/**
 * The io-ts reader of request bodies: the reference the fast reader matches, and the one that
 * explains a bad body (for use inside an io-ts `validate`).
 */
export function validateRequestBody(u: unknown, c: t.Context): t.Validation<RpcRequest> {
  const v = validateEnvelopedBody(u, c, Body, RequestDict);
  if (v._tag === 'Left') return v;
  return t.success(requestOf(v.right.dict, v.right.body.context, v.right.body.call_monitor_timeout));
}

/**
 * The codec of RPC request bodies: `{"request": {"method", "args"[, "namespace"][, "version"]},
 * "context"[, "call_monitor_timeout"]}`, keys in Python's order. Decoding is as lenient as
 * oslo where oslo copes (missing `args` is `{}`, missing `context` is null, null namespace or
 * version are absent, an oslo envelope around the request is unwrapped) and strict where
 * oslo's server would fail (a method that is not a string, args that are not a dict).
 * A well-formed body is read by plain checks; io-ts runs only to explain a bad one.
 */
export const RpcRequestCodec: t.Type<RpcRequest, RpcRequestWire, unknown> = new t.Type(
  'RpcRequest',
  isRpcRequest,
  (u, c) => {
    const fast = readRequestBody(u);
    return fast === undefined ? validateRequestBody(u, c) : t.success(fast);
  },
  encodeRequest,
);

/** Properties of a call message. */
export interface CallMessageOptions extends JsonEncodingOptions {
  /** The resolved address of the target (the message's `to`). */
  readonly to: string;
  /** The reply address (the address the intermediary gave the reply link). */
  readonly replyTo: string;
  /** The call timeout: the message's `ttl`, and with `now` its absolute expiry time. */
  readonly timeoutMs: number;
  /** The message-id (default: a new {@link newCallMessageId}); a retransmission needs a new one. */
  readonly messageId?: string;
  /** The wall-clock time of sending in ms since the epoch (default `Date.now()`). */
  readonly now?: number;
  /**
   * Set `absolute-expiry-time` to `now + timeoutMs` (default true). Python's driver writes a
   * monotonic-clock value there (a date in 1970); this writes a real one, or none when false.
   */
  readonly absoluteExpiry?: boolean;
}

/** Largest `ttl` an AMQP header holds (a uint of milliseconds). */
const MAX_TTL = 0xffffffff;

/**
 * The rhea message of an RPC call: a new uuid-hex string message-id, `reply_to`, `to`, `ttl`
 * = the timeout in ms, a correct absolute expiry time, not durable, the request as body.
 * @throws TypeError when the args or context cannot be written as JSON (a circular structure)
 */
export function buildCallMessage(request: RpcRequest, options: CallMessageOptions): Message {
  const message: Message = {
    message_id: options.messageId ?? newCallMessageId(),
    reply_to: options.replyTo,
    to: options.to,
    body: encodeBody(RpcRequestCodec.encode(request), options),
  };
  if (Number.isFinite(options.timeoutMs) && options.timeoutMs > 0) {
    const ttl = Math.min(MAX_TTL, Math.ceil(options.timeoutMs));
    message.ttl = ttl;
    if (options.absoluteExpiry ?? true) message.absolute_expiry_time = new Date((options.now ?? Date.now()) + ttl);
  }
  return message;
}

/**
 * The rhea message of an RPC cast (or fanout cast): only `to` and the body; no message-id,
 * no reply address, no ttl; any call-monitor timeout is left out.
 * @throws TypeError when the args or context cannot be written as JSON (a circular structure)
 */
export function buildCastMessage(request: RpcRequest, options: { readonly to: string } & JsonEncodingOptions): Message {
  const wire = RpcRequestCodec.encode(request);
  const cast: RpcRequestWire = wire.call_monitor_timeout === undefined ? wire : { request: wire.request, context: wire.context };
  return { to: options.to, body: encodeBody(cast, options) };
}

/** A request as a server receives it, with what it needs to answer. */
export interface ReceivedRpcRequest {
  /** The decoded request. */
  readonly request: RpcRequest;
  /** The message-id, which the reply echoes as its correlation-id (absent on casts). */
  readonly messageId?: MessageId;
  /** Where to send the reply (absent on casts: no reply is sent). */
  readonly replyTo?: string;
}

/**
 * Decodes a received RPC request message. Never throws: a body that is not an RPC request
 * is a `Left` with the reason.
 */
export function decodeRequestMessage(
  message: { readonly body?: unknown; readonly message_id?: unknown; readonly reply_to?: unknown },
): Either<InvalidMessage, ReceivedRpcRequest> {
  const json = decodeBody(message.body);
  if (json._tag === 'Left') return json;
  const request = decodeWith(RpcRequestCodec, json.right, 'RPC request');
  if (request._tag === 'Left') return left(request.left);
  const { message_id: messageId, reply_to: replyTo } = message;
  // plain properties rather than spreads: this runs once per request
  const received: { -readonly [K in keyof ReceivedRpcRequest]: ReceivedRpcRequest[K] } = { request: request.right };
  if (isMessageId(messageId)) received.messageId = messageId;
  if (typeof replyTo === 'string' && replyTo !== '') received.replyTo = replyTo;
  return right(received);
}
