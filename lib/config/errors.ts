/**
 * Errors of the config layer: a transport URL or an option that is not valid.
 * Their messages name what is wrong and never contain a password.
 * @module
 */
import { inspect } from 'node:util';
import { MessagingError } from '../errors';
import { REDACTED, redactUrlText } from './redact';

/**
 * A transport URL that oslo-rx cannot use: not `amqp://` or `amqps://`, a
 * port that is not an integer from 1 to 65535, a host entry without a
 * hostname, a malformed IPv6 address, …
 *
 * ## Example
 * ```ts
 * try { parseTransportUrl('amqp://user:secret@host:99999/'); }
 * catch (e) { e.message; } // 'Invalid transport URL "amqp://user:****@host:99999/": host 1: the port is not from 1 to 65535'
 * ```
 */
export class InvalidTransportURL extends MessagingError {
  /** The URL with every password replaced by `****`; `undefined` when the URL was not given as text. */
  readonly url: string | undefined;
  /** What is wrong with it. */
  readonly reason: string;

  /**
   * @param reason what is wrong, e.g. `host 2: empty hostname`; must not quote a password
   * @param url the URL as given; it is redacted here, so passwords never reach the message
   */
  constructor(reason: string, url?: string) {
    const shown = url === undefined ? undefined : redactUrlText(url);
    super('InvalidTransportURL', shown === undefined ? `Invalid transport URL: ${reason}` : `Invalid transport URL "${shown}": ${reason}`);
    this.url = shown;
    this.reason = reason;
  }
}

/**
 * An AMQP option that is unknown or has a value of the wrong type or range,
 * given in the options object or in the URL query.
 *
 * ## Example
 * ```ts
 * try { resolveAmqpOptions({ idleTimeoutMs: -1 }); }
 * catch (e) { e.message; } // 'Invalid option idleTimeoutMs = -1: expected an integer >= 0 (milliseconds)'
 * ```
 */
export class InvalidOption extends MessagingError {
  /** The option's name as given: a TypeScript name (or a path in it, `preSettled.1`) or an oslo name from the URL. */
  readonly option: string;
  /** The value given, or `'****'` for a secret option. */
  readonly value: unknown;

  /**
   * @param option the option's name as given, e.g. `idleTimeoutMs` or `idle_timeout`
   * @param value the value given
   * @param reason what was expected, e.g. `expected an integer >= 0 (milliseconds)`
   * @param secret true to hide the value (a password)
   */
  constructor(option: string, value: unknown, reason: string, secret = false) {
    const shown: unknown = secret ? REDACTED : value;
    super('InvalidOption', `Invalid option ${option} = ${secret ? REDACTED : describe(value)}: ${reason}`);
    this.option = option;
    this.value = shown;
  }
}

/** A short, one-line rendering of any value for a message. */
function describe(value: unknown): string {
  return inspect(value, { depth: 2, breakLength: Infinity, maxArrayLength: 10, maxStringLength: 200 });
}
