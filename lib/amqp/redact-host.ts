/**
 * @module
 */
import type { TransportHost } from '../config';

/** `host:port` of a transport host, for logs and errors: never the credentials. */
export function redactHost(host: TransportHost): string {
  const name = host.hostname.includes(':') ? `[${host.hostname}]` : host.hostname;
  return `${name}:${host.port}`;
}
