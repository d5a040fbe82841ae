/**
 * The throwaway PKI of the TLS tests (see scripts/tls-certs.sh), made on first use.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '..', '..');

/** The files scripts/tls-certs.sh makes. */
export type TlsFile =
  | 'ca.pem'
  | 'other-ca.pem'
  | 'server.pem'
  | 'server.key'
  | 'server-expired.pem'
  | 'server-expired.key'
  | 'server-wrong-name.pem'
  | 'server-wrong-name.key'
  | 'client.pem'
  | 'client.key'
  | 'client-encrypted.key'
  | 'client-key-password';

/**
 * The folder of the test PKI: `OSLO_RX_TLS_DIR` (exported by `.peers/peers.env`), else
 * `.peers/tls`, made there with openssl if it is not there yet.
 */
export function tlsDir(): string {
  const dir = process.env.OSLO_RX_TLS_DIR || join(repoRoot, '.peers', 'tls');
  if (!existsSync(join(dir, 'done'))) execFileSync('bash', [join(repoRoot, 'scripts', 'tls-certs.sh'), dir], { stdio: 'inherit', timeout: 120_000 });
  return dir;
}

/** The path of one file of the test PKI. */
export function tlsPath(file: TlsFile): string {
  return join(tlsDir(), file);
}

/** The contents of one file of the test PKI. */
export function tlsFile(file: TlsFile): Buffer {
  return readFileSync(tlsPath(file));
}

/** The password of `client-encrypted.key`. */
export function clientKeyPassword(): string {
  return tlsFile('client-key-password').toString('utf8').trim();
}

/** Options that trust the test CA (server-verified TLS). */
export function trustTestCa(): { sslCaFile: string } {
  return { sslCaFile: tlsPath('ca.pem') };
}

/** Options that trust the test CA and present the test client certificate (mutual TLS). */
export function withClientCertificate(): { sslCaFile: string; sslCertFile: string; sslKeyFile: string } {
  return { ...trustTestCa(), sslCertFile: tlsPath('client.pem'), sslKeyFile: tlsPath('client.key') };
}
