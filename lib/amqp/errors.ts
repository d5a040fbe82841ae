/**
 * Errors of the AMQP core, and the one translator from AMQP error conditions
 * and socket errors to them.
 * @module
 */
import { MessagingError } from '../errors';

/**
 * The connection to the intermediary dropped or could not be opened; reconnecting may help.
 * `inDoubt` is true when a message had been written before the drop and no outcome came:
 * it may or may not have arrived (a call's method may or may not have run).
 */
export class ConnectionLost extends MessagingError {
  /**
   * @param message what happened, naming the (redacted) host
   * @param cause the underlying error
   * @param inDoubt true when a message was written and its fate is unknown
   */
  constructor(message: string, cause?: unknown, readonly inDoubt = false) {
    super('ConnectionLost', message, { retryable: true, cause });
  }
}

/** The intermediary refused the credentials (SASL failure or `amqp:unauthorized-access`); not retried forever. */
export class AuthenticationFailed extends MessagingError {
  /** @param message what the intermediary said, never the password */
  constructor(message: string, cause?: unknown) {
    super('AuthenticationFailed', message, { retryable: false, cause });
  }
}

/** An operation did not finish before its deadline. */
export class MessagingTimeout extends MessagingError {
  /**
   * @param message what timed out
   * @param timeoutMs the deadline that passed, in milliseconds
   */
  constructor(message: string, readonly timeoutMs?: number) {
    super('MessagingTimeout', message, { retryable: true });
  }
}

/** The intermediary (or the consumer, through a router) refused a message: rejected, or modified as undeliverable. */
export class MessageDeliveryFailure extends MessagingError {
  /**
   * @param message what happened
   * @param outcome the outcome the sender got, when there was one
   */
  constructor(message: string, readonly outcome?: DeliveryOutcomeLike) {
    super('MessageDeliveryFailure', message, { retryable: false });
  }
}

/** The intermediary refused to attach a link, or detached it with an error. */
export class LinkRefused extends MessagingError {
  /**
   * @param address the link's address
   * @param condition the AMQP error condition the peer sent, when it sent one
   * @param description the peer's description of the error
   */
  constructor(readonly address: string, readonly condition?: string, readonly description?: string) {
    super('LinkRefused', `link to "${address}" refused${condition ? `: ${condition}` : ''}${description ? ` (${description})` : ''}`, {
      retryable: condition !== 'amqp:not-implemented' && condition !== 'amqp:unauthorized-access',
    });
  }
}

/** The transport was closed by the application; nothing more can be sent or received on it. */
export class TransportClosed extends MessagingError {
  /** @param message what was interrupted */
  constructor(message = 'transport closed') {
    super('TransportClosed', message, { retryable: false });
  }
}

/** Minimal shape of a delivery outcome, to avoid an import cycle with `outcome.ts`. */
export interface DeliveryOutcomeLike {
  /** The outcome's kind. */
  readonly outcome: string;
}

/** The AMQP `error` field carried by close, detach and end frames. */
export interface AmqpErrorLike {
  /** The AMQP error condition symbol, e.g. `amqp:unauthorized-access`. */
  condition?: string;
  /** The peer's description. */
  description?: string;
}

function describe(e: unknown): { condition?: string; description: string } {
  if (e && typeof e === 'object') {
    const o = e as { condition?: unknown; description?: unknown; message?: unknown };
    const condition = typeof o.condition === 'string' ? o.condition : undefined;
    const description =
      typeof o.description === 'string' ? o.description : typeof o.message === 'string' ? o.message : String(e);
    return { condition, description };
  }
  return { description: String(e) };
}

/**
 * Turns an error from rhea, rhea-promise or a socket into a {@link MessagingError}.
 *
 * `amqp:unauthorized-access` (the SASL failure condition) becomes {@link AuthenticationFailed};
 * anything else that ends a connection becomes a retryable {@link ConnectionLost}.
 * A {@link MessagingError} is returned unchanged.
 *
 * @param e the raw error
 * @param where a short, password-free description of the peer, e.g. the redacted host
 */
export function translateConnectionError(e: unknown, where: string): MessagingError {
  if (e instanceof MessagingError) return e;
  const { condition, description } = describe(e);
  if (condition === 'amqp:unauthorized-access' || /authenticat|sasl/i.test(description)) {
    return new AuthenticationFailed(`authentication failed at ${where}: ${description}`, e);
  }
  return new ConnectionLost(`connection to ${where} lost: ${condition ? `${condition} ` : ''}${description}`, e);
}
