/** A plain rhea-promise connection for the raw contender. */
import { Connection, type ConnectionOptions } from 'rhea-promise';

/** Opens a connection to `url` (user and password from the URL, no reconnect, no Nagle delay, as oslo-rx). */
export function rawConnection(url: string): Promise<Connection> {
  const u = new URL(url);
  const options = {
    host: u.hostname,
    port: Number(u.port || 5672),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    reconnect: false,
    transport: 'tcp',
    tcp_no_delay: true, // a rhea option its types leave out
  };
  return new Connection(options as ConnectionOptions).open();
}
