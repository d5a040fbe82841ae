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

/**
 * The intermediary refused the credentials while the connection was opening: a SASL
 * outcome of `auth`, a Close with `amqp:unauthorized-access` before Open, or no SASL
 * mechanism in common. Not retried.
 */
export class AuthenticationFailed extends MessagingError {
  /** @param message what the intermediary said, never the password */
  constructor(message: string, cause?: unknown) {
    super('AuthenticationFailed', message, { retryable: false, cause });
  }
}

/**
 * The TLS handshake failed for a reason retrying cannot mend: the server's certificate
 * could not be verified (unknown CA, expired, host name mismatch, ...), the server
 * refused this client's certificate (or its absence), or the peer does not speak TLS.
 * Not retried.
 */
export class TlsHandshakeFailed extends MessagingError {
  /**
   * @param message what went wrong, naming the certificate problem
   * @param tlsCode Node's or OpenSSL's code for it, e.g. `CERT_HAS_EXPIRED` or `ERR_TLS_CERT_ALTNAME_INVALID`
   */
  constructor(
    message: string,
    readonly tlsCode: string,
    cause?: unknown,
  ) {
    super('TlsHandshakeFailed', message, { retryable: false, cause });
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

/** How far the SASL exchange of a connection attempt got (recorded by the client mechanisms). */
export interface SaslProgress {
  /** The mechanisms this client was ready to use. */
  readonly allowed: readonly string[];
  /** The mechanisms the server offered, once its sasl-mechanisms frame arrived. */
  readonly offered: readonly string[];
  /** The mechanism chosen, once one was. */
  readonly chosen?: string;
}

/** What is known about a connection attempt that failed before its Open completed. */
export interface OpeningFailure {
  /** The SASL exchange, when the attempt used SASL. */
  readonly sasl?: SaslProgress;
  /** True when the server asked for a client certificate, none was sent, and the attempt failed before Open. */
  readonly clientCertificateMissing?: boolean;
}

/** What Node and OpenSSL codes mean, for messages; each one ends the transport (see {@link TlsHandshakeFailed}). */
const TLS_FAILURES: Readonly<Record<string, string>> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's certificate is not signed by a trusted CA",
  UNABLE_TO_GET_ISSUER_CERT: "the issuer of the server's certificate is unknown",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the issuer of the server's certificate is not a trusted CA",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's certificate chain ends in an untrusted self-signed CA",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's certificate is self-signed and not trusted",
  CERT_SIGNATURE_FAILURE: "the signature of the server's certificate is not valid",
  UNABLE_TO_DECRYPT_CERT_SIGNATURE: "the signature of the server's certificate cannot be read",
  UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: "the issuer's public key of the server's certificate cannot be read",
  CERT_NOT_YET_VALID: "the server's certificate is not valid yet",
  CERT_HAS_EXPIRED: "the server's certificate has expired",
  ERROR_IN_CERT_NOT_BEFORE_FIELD: "the server's certificate has a bad notBefore field",
  ERROR_IN_CERT_NOT_AFTER_FIELD: "the server's certificate has a bad notAfter field",
  CERT_CHAIN_TOO_LONG: "the server's certificate chain is too long",
  CERT_REVOKED: "the server's certificate is revoked",
  INVALID_CA: 'a CA certificate in the chain is not valid',
  PATH_LENGTH_EXCEEDED: 'the certificate chain exceeds a CA path length',
  INVALID_PURPOSE: "the server's certificate may not be used for a TLS server",
  CERT_UNTRUSTED: "the server's certificate is not trusted",
  CERT_REJECTED: "the server's certificate is rejected",
  HOSTNAME_MISMATCH: "the server's certificate does not name the host",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's certificate does not name the host connected to",
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'the server requires a client certificate and none was sent (set sslCertFile and sslKeyFile)',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: "the server refused this client's certificate",
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN: "the server refused this client's certificate (unknown)",
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED: "the server refused this client's certificate: it has expired",
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED: "the server refused this client's certificate: it is revoked",
  ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE: "the server refused this client's certificate: unsupported",
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: "the server does not trust the CA of this client's certificate",
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'the server refused the TLS handshake (no client certificate, or no cipher or version in common)',
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'no TLS version in common with the server',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the peer does not speak TLS on this port',
  // oslo-rx's own: a server that drops the connection instead of sending an alert (see OpeningFailure)
  CLIENT_CERTIFICATE_REQUIRED: 'the server asked for a client certificate, none was sent (set sslCertFile and sslKeyFile), and it closed the connection',
};

function describe(e: unknown): { condition?: string; description: string; code?: string } {
  if (e && typeof e === 'object') {
    const o = e as { condition?: unknown; description?: unknown; message?: unknown; code?: unknown };
    const condition = typeof o.condition === 'string' ? o.condition : undefined;
    const code = typeof o.code === 'string' ? o.code : undefined;
    const description =
      typeof o.description === 'string' ? o.description : typeof o.message === 'string' ? o.message : String(e);
    return { condition, description, code };
  }
  return { description: String(e) };
}

/**
 * The cause to keep on a translated error. rhea's errors hold the connection, whose
 * options reach the credentials, so those are replaced by a plain copy of their fields.
 */
function safeCause(e: unknown): unknown {
  if (e instanceof Error && !('connection' in e)) return e;
  const { condition, description, code } = describe(e);
  const copy = new Error(description) as Error & { condition?: string; code?: string };
  if (e instanceof Error) copy.name = e.name;
  if (condition) copy.condition = condition;
  if (code) copy.code = code;
  return copy;
}

/**
 * Turns an error from rhea, rhea-promise or a socket into a {@link MessagingError},
 * by what the error is, never by the words of its message:
 *
 * - a TLS code of Node or OpenSSL that retrying cannot mend (a server certificate
 *   that fails verification, a client certificate the server refuses, no TLS on the
 *   port) becomes {@link TlsHandshakeFailed};
 * - while the connection is opening (`opening` given): a server that asked for a client
 *   certificate and, when none came, dropped the connection (no AMQP error, no SASL offer
 *   yet) becomes {@link TlsHandshakeFailed} (`CLIENT_CERTIFICATE_REQUIRED`); no SASL mechanism in common,
 *   or the condition `amqp:unauthorized-access` (rhea's for a SASL outcome of `auth`,
 *   and a peer's Close refusing access before Open) becomes {@link AuthenticationFailed};
 *   a SASL outcome of `sys`, `sys-perm` or `sys-temp` (an auth backend that is down)
 *   stays retryable;
 * - anything else, and anything once the connection was open, becomes a retryable
 *   {@link ConnectionLost}: a reconnect authenticates again and fails then if the
 *   credentials are really refused.
 *
 * A {@link MessagingError} is returned unchanged. The cause kept never references
 * the connection (whose options reach the credentials).
 *
 * @param e the raw error
 * @param where a short, password-free description of the peer, e.g. the redacted host
 * @param opening given when the error ended an attempt to open the connection
 */
export function translateConnectionError(e: unknown, where: string, opening?: OpeningFailure): MessagingError {
  if (e instanceof MessagingError) return e;
  const { condition, description, code } = describe(e);
  const cause = safeCause(e);
  if (code !== undefined && Object.prototype.hasOwnProperty.call(TLS_FAILURES, code)) {
    return new TlsHandshakeFailed(`TLS handshake with ${where} failed: ${TLS_FAILURES[code]} (${code})`, code, cause);
  }
  // a bare drop, before the server offered any SASL mechanism: what a server that wanted a certificate does
  const droppedEarly = condition === undefined && !(opening?.sasl && opening.sasl.offered.length > 0);
  if (opening?.clientCertificateMissing && droppedEarly) {
    const tlsCode = 'CLIENT_CERTIFICATE_REQUIRED';
    return new TlsHandshakeFailed(`TLS handshake with ${where} failed: ${TLS_FAILURES[tlsCode]} (${tlsCode})`, tlsCode, cause);
  }
  if (opening) {
    const sasl = opening.sasl;
    if (sasl && sasl.offered.length > 0 && sasl.chosen === undefined) {
      const offered = sasl.offered.join(' ');
      const allowed = sasl.allowed.length > 0 ? sasl.allowed.join(' ') : 'none';
      return new AuthenticationFailed(
        `authentication failed at ${where}: no SASL mechanism in common (the server offers ${offered}; this client may use ${allowed})`,
        cause,
      );
    }
    if (condition === 'amqp:unauthorized-access') {
      const how = sasl?.chosen ? `SASL ${sasl.chosen} refused` : 'access refused';
      return new AuthenticationFailed(`authentication failed at ${where}: ${how}: ${description}`, cause);
    }
  }
  return new ConnectionLost(`connection to ${where} lost: ${condition ? `${condition} ` : ''}${description}`, cause);
}
