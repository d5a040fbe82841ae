/**
 * The base of every error oslo-rx raises, shared by all layers.
 *
 * Each layer defines its own subclasses next to the code that raises them
 * (`config/errors.ts`, `amqp/errors.ts`, `wire/errors.ts`, `rpc/errors.ts`);
 * this module only holds what they have in common.
 * @module
 */

/** Every error code oslo-rx uses; one per error class. */
export type MessagingErrorCode =
  | 'InvalidTransportURL'
  | 'InvalidOption'
  | 'ConnectionLost'
  | 'AuthenticationFailed'
  | 'TlsHandshakeFailed'
  | 'MessagingTimeout'
  | 'MessageDeliveryFailure'
  | 'LinkRefused'
  | 'TransportClosed'
  | 'InvalidMessage'
  | 'InvalidTarget'
  | 'RemoteError'
  | 'UnsupportedVersion'
  | 'NoSuchMethod'
  | 'RpcVersionCapError'
  | 'ListenFailed';

/**
 * Base class of oslo-rx errors: a fixed `name`, a machine-readable `code`,
 * and whether retrying the same operation later may succeed.
 */
export class MessagingError extends Error {
  /** Machine-readable code; equal to the subclass name. */
  readonly code: MessagingErrorCode;
  /** True when the same operation may succeed if tried again later. */
  readonly retryable: boolean;

  /**
   * @param code the error code (the subclass name)
   * @param message a human-readable message; never contains a password
   * @param options `retryable` and the underlying `cause`
   */
  constructor(code: MessagingErrorCode, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = code;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/**
 * True when `e` is an oslo-rx {@link MessagingError}, optionally of the given code.
 *
 * ## Example
 * ```ts
 * try {
 *   await firstValueFrom(client.call('ping'));
 * } catch (e) {
 *   if (isMessagingError(e, 'MessagingTimeout')) console.log('no server answered');
 *   else if (isMessagingError(e) && e.retryable) scheduleRetry();
 *   else throw e;
 * }
 * ```
 */
export function isMessagingError(e: unknown, code?: MessagingErrorCode): e is MessagingError {
  return e instanceof MessagingError && (code === undefined || e.code === code);
}
