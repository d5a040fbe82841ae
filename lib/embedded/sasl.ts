/**
 * SASL for the embedded intermediary: ANONYMOUS, PLAIN and EXTERNAL, chosen per connection.
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { sasl } from 'rhea';

/** A SASL mechanism the embedded intermediary can offer. */
export type IntermediarySaslMechanism = 'ANONYMOUS' | 'PLAIN' | 'EXTERNAL';

/** Every mechanism the embedded intermediary can offer. */
export const INTERMEDIARY_SASL_MECHANISMS: readonly IntermediarySaslMechanism[] = ['ANONYMOUS', 'PLAIN', 'EXTERNAL'];

interface ServerMechanisms {
  enable_anonymous(): void;
  enable_plain(check: (username: string | null, password: string | null) => boolean): void;
  [name: string]: unknown;
}

/** rhea's server-side mechanism: `start` sets `outcome` (and `username` on success). */
interface ServerMechanism {
  outcome: boolean | undefined;
  username: string | undefined;
  start(response: Buffer | undefined, hostname: string | undefined): void;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** True when `password` is the one `users` holds for `username`, compared in constant time. */
export function checkPassword(users: Readonly<Record<string, string>>, username: string | null, password: string | null): boolean {
  if (username === null || password === null || !Object.prototype.hasOwnProperty.call(users, username)) return false;
  return timingSafeEqual(digest(users[username]), digest(password));
}

/** The identity a verified client certificate gives (its subject's CN), or `undefined` when there is none. */
export function certificateIdentity(socket: Socket): string | undefined {
  const tls = socket as Partial<TLSSocket>;
  if (!tls.encrypted || !tls.authorized || typeof tls.getPeerCertificate !== 'function') return undefined;
  const subject = tls.getPeerCertificate().subject as unknown as Record<string, string | string[]> | undefined;
  const cn = subject?.CN;
  return (Array.isArray(cn) ? cn[0] : cn) ?? 'certificate';
}

/** EXTERNAL: succeeds with the identity of a verified client certificate, fails without one. */
function externalMechanism(socket: Socket, onFailure: (reason: string) => void): () => ServerMechanism {
  return () => ({
    outcome: undefined,
    username: undefined,
    start(this: ServerMechanism) {
      const identity = certificateIdentity(socket);
      this.outcome = identity !== undefined;
      this.username = identity;
      if (identity === undefined) onFailure('EXTERNAL without a verified client certificate');
    },
  });
}

/** What decides the mechanisms of one connection. */
export interface SaslPolicy {
  /** The mechanisms offered. */
  readonly mechanisms: readonly IntermediarySaslMechanism[];
  /** The users PLAIN checks; `undefined`: PLAIN accepts any credentials. */
  readonly users: Readonly<Record<string, string>> | undefined;
}

/**
 * The SASL mechanisms offered on `socket`, in the form rhea's server takes. PLAIN checks
 * `policy.users` (any credentials without users); EXTERNAL succeeds only with a verified
 * client certificate; with ANONYMOUS offered, clients may also skip SASL entirely.
 *
 * @param onFailure called with what failed (a user name, never a password) for each refused attempt
 */
export function serverMechanisms(policy: SaslPolicy, socket: Socket, onFailure: (what: string) => void): object {
  const mechanisms = (sasl as unknown as { server_mechanisms(): ServerMechanisms }).server_mechanisms();
  const { users } = policy;
  for (const name of policy.mechanisms) {
    if (name === 'ANONYMOUS') mechanisms.enable_anonymous();
    if (name === 'EXTERNAL') mechanisms.EXTERNAL = externalMechanism(socket, onFailure);
    if (name === 'PLAIN') {
      mechanisms.enable_plain((username, password) => {
        if (users === undefined) return true;
        const ok = checkPassword(users, username, password);
        if (!ok) onFailure(`PLAIN for user "${username ?? ''}"`);
        return ok;
      });
    }
  }
  return mechanisms;
}
