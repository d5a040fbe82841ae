/**
 * What the cluster suites share: transports pinned to cluster nodes, an RPC server that
 * says which server answered, and where a transport is connected.
 */
import { type Subscription, filter, firstValueFrom, map, take, timeout } from 'rxjs';
import { RpcClient, type Transport, addressingPresets, createTransport, dispatch, rpcServer } from '../../lib';
import { type ClusterNode, clusterNodeAt } from '../support/rabbitmq-cluster';

/**
 * Transport options for the cluster: RabbitMQ's addressing, a quick first retry and a
 * short maximum backoff, so a transport whose node died tries the next one within a second.
 */
export const CLUSTER_OPTIONS = { ...addressingPresets.rabbitmq3, connectionRetryIntervalMs: 1000, connectionRetryIntervalMaxMs: 2000 } as const;

/** Transports and subscriptions a test opened, closed after it. */
export class Opened {
  private readonly transports: Transport[] = [];
  private readonly subscriptions: Subscription[] = [];

  /** A transport on `url` with {@link CLUSTER_OPTIONS}. */
  transport(url: string): Transport {
    const t = createTransport(url, CLUSTER_OPTIONS);
    this.transports.push(t);
    return t;
  }

  /** Keeps `s` until {@link closeAll}. */
  keep(s: Subscription): void {
    this.subscriptions.push(s);
  }

  /** Unsubscribes everything and closes every transport. */
  async closeAll(): Promise<void> {
    this.subscriptions.splice(0).forEach((s) => s.unsubscribe());
    await Promise.all(this.transports.splice(0).map((t) => t.close()));
  }
}

/** Endpoint of the cluster suites' servers: `whoami` names the server, `add` adds. */
export class Named {
  /** @param name the server's name */
  constructor(private readonly name: string) {}
  /** The server's name. */
  whoami(): string {
    return this.name;
  }
  /** `a + 1`. */
  add(_ctx: unknown, { a }: { a: number }): number {
    return a + 1;
  }
}

/** Starts RPC server `server` of `topic` on `transport` (kept by `opened`). */
export function serve(opened: Opened, transport: Transport, topic: string, server: string): void {
  opened.keep(rpcServer(transport, { topic, server }).pipe(dispatch([new Named(server)])).subscribe());
}

/** Resolves once server `server` of `topic` answers a call sent over `transport` (its links are attached). */
export async function answering(transport: Transport, topic: string, server: string, ms = 30_000): Promise<void> {
  const client = new RpcClient(transport, { topic, server }, { timeoutMs: ms });
  await firstValueFrom(client.call('whoami'));
}

/**
 * The cluster node `transport` is open on (connecting it if nothing has yet): its first
 * `open` state, on a node other than `except` when given, within `ms`; else a failure.
 */
export function openNode(transport: Transport, ms = 30_000, except?: ClusterNode): Promise<ClusterNode> {
  transport.ready().catch(() => undefined); // a failure shows as the timeout below
  return firstValueFrom(
    transport.state$.pipe(
      filter((s) => s.state === 'open' && clusterNodeAt(s.host) !== except),
      map((s) => clusterNodeAt((s as { host: string }).host)!),
      take(1),
      timeout({ first: ms, with: () => { throw new Error(`no open connection${except ? ` to a node other than ${except}` : ''} within ${ms} ms`); } }),
    ),
  );
}
