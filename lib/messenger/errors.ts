/**
 * Errors of the messenger layer.
 * @module
 */
import { MessagingError } from '../errors';

/**
 * A listening subscription (`amqp://~host:port`) could not listen: the port is taken,
 * the host is not an address of this machine, or listening is not allowed.
 */
export class ListenFailed extends MessagingError {
  /**
   * @param address `host:port` it tried to listen on
   * @param cause the socket error
   */
  constructor(
    readonly address: string,
    cause: unknown,
  ) {
    super('ListenFailed', `cannot listen on ${address}: ${cause instanceof Error ? cause.message : String(cause)}`, { retryable: true, cause });
  }
}
