/**
 * The wire layer: every message oslo's AMQP 1.0 driver exchanges (RPC request, reply,
 * failure, heartbeat, notification) as io-ts codecs, JSON text that Python reads (compact
 * by default, exactly as Python writes it on request), and rhea messages built and read the
 * way Python's driver does. Decoders check well-formed bodies by plain checks and run io-ts
 * only to explain a bad one; they return `Either` and never throw.
 * @module
 */
export { InvalidMessage, type InvalidMessageCondition } from './errors';
export { jsonLoads, pythonJsonDumps } from './python-json';
export { fastJsonDumps } from './fast-json';
export { type JsonEncodingOptions, jsonDumps } from './json-dumps';
export { NO_BODY, bodyText, decodeBody, encodeBody, parseBodyText } from './body';
export { decodeWith } from './decode-with';
export { ENVELOPE_VERSION, type Envelope, type Unwrapped, unwrapEnvelope, wrapEnvelope } from './envelope';
export { JsonObject, NonNegativeNumber, nullable, orUndefined } from './json-codecs';
export { type MessageId, correlationIdFor, isMessageId, newCallMessageId, newNotificationId } from './message-id';
export { type VersionParts, isValidVersion, partsAreCompatible, versionIsCompatible, versionParts } from './version';
export { pythonUtcTimestamp } from './python-timestamp';
export { NOTIFICATION_CONTEXT_KEYS, sanitizeNotificationContext } from './sanitize-context';
export { pythonTraceback } from './traceback';
export {
  DEFAULT_FAILURE_MODULE, type FailureInfo, type PythonExceptionInfo, failureFromError, parseFailure, serializeFailure,
} from './failure';
export {
  type CallMessageOptions, type ReceivedRpcRequest, type RpcRequest, type RpcRequestDictWire, type RpcRequestWire,
  RpcRequestCodec, buildCallMessage, buildCastMessage, decodeRequestMessage,
} from './rpc-request';
export {
  type ReceivedReply, type ReplyAddressing, type RpcReply, type RpcReplyWire, RpcReplyCodec, buildHeartbeatMessage,
  buildReplyMessage, decodeReplyMessage, failureReply, responseReply,
} from './rpc-reply';
export {
  type NewNotification, type NotificationBody, type NotificationBodyWire, type NotificationMessage,
  type NotificationMessageWire, type NotificationVersion, NotificationBodyCodec, buildNotificationMessage,
  decodeNotificationMessage, newNotificationMessage,
} from './notification';
