/**
 * The SASL mechanisms a client connection offers to use (ANONYMOUS, PLAIN, EXTERNAL),
 * in the form rhea takes, recording how far the exchange got.
 * @module
 */
import type { SaslMechanismName } from '../config';
import type { SaslProgress } from './errors';

/** What a client needs to authenticate with each mechanism. */
export interface SaslCredentials {
  /** The mechanisms to allow; of those the server offers, the first in the server's order is used. */
  readonly mechanisms: readonly SaslMechanismName[];
  /** The user name (PLAIN's authentication identity, ANONYMOUS's trace name). */
  readonly username?: string;
  /** PLAIN's password. Kept in a closure only: no object rhea can show holds it. */
  readonly password?: string;
}

/** One mechanism as rhea's SASL client drives it. */
interface ClientMechanism {
  start(callback: (error: unknown, response: Buffer) => void): void;
  step(challenge: unknown, callback: (error: unknown, response: Buffer) => void): void;
}

/** rhea's client mechanism table, with the progress it records. */
export interface ClientMechanisms {
  /** The mechanisms rhea's client looks up by the names the server offers. */
  readonly table: object;
  /** How far the exchange got, for error messages. */
  progress(): SaslProgress;
}

/** `[authzid] NUL authcid NUL passwd` (RFC 4616), in UTF-8 (rhea's own PLAIN miscounts non-ASCII text). */
function plainResponse(username: string, password: string): Buffer {
  return Buffer.concat([Buffer.from([0]), Buffer.from(username, 'utf8'), Buffer.from([0]), Buffer.from(password, 'utf8')]);
}

function mechanism(response: () => Buffer): ClientMechanism {
  return {
    start: (callback) => callback(undefined, response()),
    step: (_challenge, callback) => callback(undefined, Buffer.alloc(0)),
  };
}

/**
 * Builds rhea's client mechanism table for `credentials`. The table is a proxy that sees
 * every name the server offers (rhea looks each one up in turn), so a failure can say
 * what the server offered and which mechanism was tried.
 *
 * @param credentials the allowed mechanisms and the credentials they use
 */
export function clientMechanisms(credentials: SaslCredentials): ClientMechanisms {
  const { username, password } = credentials;
  const factories = new Map<string, () => ClientMechanism>();
  for (const name of credentials.mechanisms) {
    if (name === 'PLAIN' && username !== undefined && password !== undefined) {
      factories.set(name, () => mechanism(() => plainResponse(username, password)));
    } else if (name === 'ANONYMOUS') {
      factories.set(name, () => mechanism(() => Buffer.from(username ?? 'anonymous', 'utf8')));
    } else if (name === 'EXTERNAL') {
      factories.set(name, () => mechanism(() => Buffer.alloc(0)));
    }
  }
  const offered: string[] = [];
  let chosen: string | undefined;
  const table = new Proxy(Object.create(null) as Record<string, unknown>, {
    get: (_target, key) => {
      // SASL mechanism names are upper case; anything else is not rhea looking up an offer
      if (typeof key !== 'string' || !/^[A-Z0-9_-]{1,20}$/.test(key)) return undefined;
      offered.push(key);
      const factory = factories.get(key);
      if (factory === undefined) return undefined;
      return () => {
        chosen = key;
        return factory();
      };
    },
  });
  return {
    table,
    progress: () => ({ allowed: [...factories.keys()], offered: [...offered], ...(chosen ? { chosen } : {}) }),
  };
}
