/**
 * A TCP proxy for fault tests: sits between a client and an intermediary on loopback and
 * can cut the path abruptly (every socket reset), refuse new connections for a while, and
 * restore it, the way a network partition or a crashed middlebox looks to both ends.
 */
import { type Server, type Socket, connect, createServer } from 'node:net';

/** A running {@link startTcpProxy} proxy. */
export interface TcpProxy {
  /** The port it listens on (127.0.0.1). */
  readonly port: number;
  /** `amqp://127.0.0.1:<port>`, to give a transport instead of the intermediary's URL. */
  readonly url: string;
  /** Client connections accepted and forwarded so far. */
  readonly accepted: number;
  /** Client connections open right now. */
  readonly open: number;
  /** Client connections reset while the path was cut. */
  readonly refused: number;
  /** Resets every open connection (both sides) and, until {@link restore}, resets new ones on accept. */
  cut(): void;
  /** Forwards new connections again. */
  restore(): void;
  /** Cuts for `ms` milliseconds, then restores; resolves after the restore. */
  cutFor(ms: number): Promise<void>;
  /** Resets every connection and stops listening. */
  close(): Promise<void>;
}

/** Resets a socket (RST, no FIN), or destroys it where the platform cannot. */
function reset(socket: Socket): void {
  if (socket.destroyed) return;
  if (typeof socket.resetAndDestroy === 'function' && socket.readyState !== 'opening') socket.resetAndDestroy();
  else socket.destroy();
}

/**
 * Starts a proxy on 127.0.0.1:`port` (0 for any free port) forwarding to `target`
 * (`{ host, port }`), and resolves once it listens.
 *
 * @example
 * const proxy = await startTcpProxy({ host: '127.0.0.1', port: broker.port });
 * const t = createTransport(proxy.url);
 * await proxy.cutFor(1500);
 */
export async function startTcpProxy(target: { host?: string; port: number }, port = 0): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let cutNow = false;
  let accepted = 0;
  let refused = 0;
  const server: Server = createServer((client) => {
    if (cutNow) {
      refused++;
      client.on('error', () => undefined);
      reset(client);
      return;
    }
    accepted++;
    const upstream = connect({ host: target.host ?? '127.0.0.1', port: target.port });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      reset(client);
      reset(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done());
  });
  const listening = (server.address() as { port: number }).port;
  const cut = () => {
    cutNow = true;
    for (const [client, upstream] of [...pairs]) {
      reset(client);
      reset(upstream);
    }
    pairs.clear();
  };
  return {
    port: listening,
    url: `amqp://127.0.0.1:${listening}`,
    get accepted() {
      return accepted;
    },
    get open() {
      return pairs.size;
    },
    get refused() {
      return refused;
    },
    cut,
    restore: () => {
      cutNow = false;
    },
    cutFor: async (ms: number) => {
      cut();
      await new Promise((done) => setTimeout(done, ms));
      cutNow = false;
    },
    close: () => {
      cut();
      return new Promise<void>((done) => server.close(() => done()));
    },
  };
}
