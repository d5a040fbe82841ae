/**
 * The three-node RabbitMQ cluster that `scripts/peers-cluster.sh` runs (started by
 * `scripts/peers.sh start`), as tests see it: its multi-host URL, one node's URL, and
 * SIGKILL and restart of one node.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { formatTransportUrl, parseTransportUrl } from '../../lib/config';
import { missingPeer } from './peers';
import { portOpen } from './ports';

/** A node of the cluster: 1, 2 or 3, its position in the cluster URL. */
export type ClusterNode = 1 | 2 | 3;

/** The cluster's nodes, in URL order. */
export const CLUSTER_NODES: readonly ClusterNode[] = [1, 2, 3];

const DEFAULT_URL = 'amqp://guest:guest@127.0.0.1:27721,guest:guest@127.0.0.1:27722,guest:guest@127.0.0.1:27723';
const SCRIPT_MS = 180_000;

/** The URL of every node (oslo's multi-host syntax): `OSLO_RX_RABBITMQ_CLUSTER_URL` or the script's default ports. */
export function clusterUrl(): string {
  return process.env.OSLO_RX_RABBITMQ_CLUSTER_URL || DEFAULT_URL;
}

/** Path of `scripts/peers-cluster.sh` (`OSLO_RX_CLUSTER_SCRIPT`). */
function clusterScript(): string {
  return process.env.OSLO_RX_CLUSTER_SCRIPT || resolve(__dirname, '..', '..', 'scripts', 'peers-cluster.sh');
}

/**
 * The cluster URL with its hosts in the order given: `clusterUrlVia(2)` lists node 2 first
 * (a transport connects there and fails over to the others), `clusterUrlVia(2, [])` only node 2.
 */
export function clusterUrlVia(first: ClusterNode, rest: readonly ClusterNode[] = CLUSTER_NODES.filter((n) => n !== first)): string {
  const url = parseTransportUrl(clusterUrl());
  const order = [first, ...rest.filter((n) => n !== first)];
  return formatTransportUrl({ ...url, hosts: order.map((n) => url.hosts[n - 1]) });
}

/** The `host:port` label of node `n`, as `Transport.state$` names the host it is connected to. */
export function clusterHost(n: ClusterNode): string {
  const { hostname, port } = parseTransportUrl(clusterUrl()).hosts[n - 1];
  return `${hostname}:${port}`;
}

/** The node whose `host:port` label is `host`, if any. */
export function clusterNodeAt(host: string): ClusterNode | undefined {
  return CLUSTER_NODES.find((n) => clusterHost(n) === host);
}

/** For a `before` hook: resolves when every node accepts TCP connections; otherwise fails in CI, skips elsewhere. */
export async function requireCluster(ctx: Mocha.Context): Promise<void> {
  const hosts = parseTransportUrl(clusterUrl()).hosts;
  const down: string[] = [];
  for (const h of hosts) if (!(await portOpen(h.port, h.hostname, 2000))) down.push(`${h.hostname}:${h.port}`);
  if (down.length === 0) return;
  missingPeer(ctx, `rabbitmq cluster nodes not running on ${down.join(', ')} (start them with: bash scripts/peers.sh start)`);
}

/** Runs `peers-cluster.sh ARGS` and resolves with its standard output. */
function runScript(args: readonly string[]): Promise<string> {
  return new Promise((done, fail) => {
    execFile('bash', [clusterScript(), ...args], { timeout: SCRIPT_MS }, (error, stdout, stderr) => {
      if (error) fail(new Error(`peers-cluster.sh ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
      else done(stdout);
    });
  });
}

/** SIGKILLs node `n` (its Erlang VM: no goodbye to clients or peers); resolves once its AMQP port is closed. */
export function killClusterNode(n: ClusterNode): Promise<void> {
  return runScript(['kill', String(n)]).then(() => undefined);
}

/** Starts node `n` again with its data; resolves once it runs and sees all three nodes in the cluster. */
export function restartClusterNode(n: ClusterNode): Promise<void> {
  return runScript(['restart', String(n)]).then(() => undefined);
}

/** `rabbitmqctl ARGS` against node `n`; resolves with its output. */
export function clusterCtl(n: ClusterNode, args: readonly string[]): Promise<string> {
  return runScript(['ctl', String(n), ...args]);
}
