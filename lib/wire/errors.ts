/**
 * Errors of the wire layer.
 * @module
 */
import { MessagingError } from '../errors';

/** AMQP error conditions a receiver can use when it rejects a message it cannot decode. */
export type InvalidMessageCondition = 'amqp:decode-error' | 'amqp:not-implemented' | 'amqp:precondition-failed';

/**
 * A message whose body does not fit its codec. Decoders return it (in an `Either`) rather than
 * throw; the layer that settles the delivery turns it into a `rejected` outcome carrying
 * {@link InvalidMessage.condition} and {@link InvalidMessage.reason}.
 *
 * The reason names what is wrong and where (`request.method: expected string, got number`);
 * it never quotes the body, which may hold credentials (contexts carry tokens).
 */
export class InvalidMessage extends MessagingError {
  /** What is wrong with the message, without quoting its content. */
  readonly reason: string;
  /** The AMQP error condition to reject the delivery with. */
  readonly condition: InvalidMessageCondition;

  /**
   * @param reason what is wrong, without quoting message content
   * @param options the AMQP condition (default `amqp:decode-error`) and the underlying cause
   */
  constructor(reason: string, options: { condition?: InvalidMessageCondition; cause?: unknown } = {}) {
    super('InvalidMessage', `invalid message: ${reason}`, { retryable: false, cause: options.cause });
    this.reason = reason;
    this.condition = options.condition ?? 'amqp:decode-error';
  }
}
