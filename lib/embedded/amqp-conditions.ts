/**
 * The AMQP 1.0 error conditions the embedded intermediary sends.
 * @module
 */

/** AMQP error condition symbols, by what they mean here. */
export const AMQP_CONDITIONS = {
  /** A link names no usable address (missing terminus, empty address). */
  invalidField: 'amqp:invalid-field',
  /** The address is refused by the intermediary's configuration. */
  unauthorizedAccess: 'amqp:unauthorized-access',
  /** The address names a temporary node that does not exist (any more). */
  notFound: 'amqp:not-found',
  /** A feature the intermediary does not offer (dynamic targets). */
  notImplemented: 'amqp:not-implemented',
  /** A message larger than the link's max-message-size. */
  messageSizeExceeded: 'amqp:link:message-size-exceeded',
  /** A frame larger than the connection's max-frame-size, or a malformed frame header. */
  framingError: 'amqp:connection:framing-error',
  /** Bytes that do not decode as AMQP. */
  decodeError: 'amqp:decode-error',
  /** A failure inside the intermediary. */
  internalError: 'amqp:internal-error',
  /** The intermediary is shutting down (clients may reconnect). */
  forced: 'amqp:connection:forced',
  /** A queue is over its bound. */
  resourceLimitExceeded: 'amqp:resource-limit-exceeded',
} as const;
