/**
 * SASL for the embedded intermediary: ANONYMOUS and PLAIN.
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Container } from 'rhea';

interface ServerMechanisms {
  enable_anonymous(): void;
  enable_plain(check: (username: string | null, password: string | null) => boolean): void;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** True when `password` is the one `users` holds for `username`, compared in constant time. */
export function checkPassword(users: Readonly<Record<string, string>>, username: string | null, password: string | null): boolean {
  if (username === null || password === null || !Object.prototype.hasOwnProperty.call(users, username)) return false;
  return timingSafeEqual(digest(users[username]), digest(password));
}

/**
 * Sets the SASL mechanisms a container's server connections offer. With `users`,
 * only PLAIN with one of those users succeeds (clients that skip SASL or choose
 * ANONYMOUS are refused). Without, PLAIN with any credentials and ANONYMOUS are
 * offered, and clients may also skip SASL entirely.
 * @param onFailure called with the user name (never the password) of each failed PLAIN attempt
 */
export function configureSasl(container: Container, users: Readonly<Record<string, string>> | undefined, onFailure: (username: string) => void): void {
  const mechanisms = container.sasl_server_mechanisms as ServerMechanisms;
  if (users === undefined) {
    mechanisms.enable_plain(() => true);
    mechanisms.enable_anonymous();
    return;
  }
  mechanisms.enable_plain((username, password) => {
    const ok = checkPassword(users, username, password);
    if (!ok) onFailure(username ?? '');
    return ok;
  });
}
