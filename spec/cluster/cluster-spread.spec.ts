/**
 * RPC and notifications across the nodes of a three-node RabbitMQ cluster: clients, servers,
 * notifiers and listeners on different nodes reach each other (queues, bindings and the
 * reply queues are cluster-wide), and one multi-host URL spreads transports over the nodes
 * when each process lists the nodes in its own order.
 */
import { expect } from 'chai';
import { firstValueFrom, lastValueFrom, mergeMap, range, take, tap, toArray } from 'rxjs';
import { Notifier, RpcClient, notificationListener } from '../../lib';
import { CLUSTER_NODES, clusterUrl, clusterUrlVia, requireCluster } from '../support/rabbitmq-cluster';
import { uniqueName, within } from '../support/wait';
import { Opened, answering, openNode, serve } from './cluster-support';

describe('RabbitMQ cluster: spread across nodes', function () {
  this.timeout(90_000);
  const opened = new Opened();

  before(async function () {
    await requireCluster(this);
  });
  afterEach(() => opened.closeAll());

  it('RPC servers on different nodes serve clients on the other nodes, and notifications cross nodes', async () => {
    const topic = uniqueName('cluster-rpc');
    const onNode1 = opened.transport(clusterUrlVia(1, []));
    const onNode2 = opened.transport(clusterUrlVia(2, []));
    const onNode3 = opened.transport(clusterUrlVia(3, []));
    serve(opened, onNode1, topic, 'a');
    serve(opened, onNode2, topic, 'b');
    expect(await openNode(onNode1)).to.equal(1);
    expect(await openNode(onNode2)).to.equal(2);
    await answering(onNode3, topic, 'a');
    await answering(onNode3, topic, 'b');
    expect(await openNode(onNode3)).to.equal(3);

    // direct calls from node 3 to the servers on nodes 1 and 2, and from node 1 to node 2
    const fromNode3 = new RpcClient(onNode3, { topic }, { timeoutMs: 10_000 });
    expect(await firstValueFrom(fromNode3.prepare({ server: 'a' }).call('whoami'))).to.equal('a');
    expect(await firstValueFrom(fromNode3.prepare({ server: 'b' }).call('whoami'))).to.equal('b');
    expect(await firstValueFrom(new RpcClient(onNode1, { topic, server: 'b' }).call('whoami'))).to.equal('b');
    // topic calls from node 3 are shared by both servers
    const names = await lastValueFrom(range(0, 20).pipe(mergeMap(() => fromNode3.call<string>('whoami'), 1), toArray()));
    expect(new Set(names)).to.deep.equal(new Set(['a', 'b']));

    // a notifier on node 1, a listener on node 3
    const notifyTopic = uniqueName('cluster-notify');
    const got = firstValueFrom(
      notificationListener(onNode3, [{ topic: notifyTopic }]).pipe(tap((n) => n.ack()), take(10), toArray()),
    );
    const notifier = new Notifier(onNode1, { publisherId: 'node1', topics: [notifyTopic], durable: true });
    await lastValueFrom(range(0, 10).pipe(mergeMap((i) => notifier.info({}, 'cluster.cross', { i }))), { defaultValue: undefined });
    const received = await within(got, 'ten notifications sent on node 1 to reach node 3', 30_000);
    expect(received.map((n) => (n.payload as { i: number }).i).sort((x, y) => x - y)).to.deep.equal([...Array(10).keys()]);
  });

  it('one multi-host URL, each process listing the nodes in its own order, spreads clients and servers over the nodes', async () => {
    const topic = uniqueName('cluster-spread');
    // as written, every transport connects to the first host
    const plain = opened.transport(clusterUrl());
    await plain.ready();
    expect(await openNode(plain)).to.equal(1);
    // the same hosts, rotated: transport i starts at node i
    const servers = CLUSTER_NODES.map((n) => opened.transport(clusterUrlVia(n)));
    const clients = CLUSTER_NODES.map((n) => opened.transport(clusterUrlVia(n)));
    servers.forEach((t, i) => serve(opened, t, topic, `s${i + 1}`));
    for (const [i, t] of [...servers.entries(), ...clients.entries()]) expect(await openNode(t), `transport ${i}`).to.equal(CLUSTER_NODES[i]);
    for (const s of ['s1', 's2', 's3']) await answering(clients[0], topic, s);

    // every client calls every server directly, then 30 topic calls each
    const answered = new Map<string, number>();
    for (const client of clients) {
      const rpc = new RpcClient(client, { topic }, { timeoutMs: 10_000 });
      for (const s of ['s1', 's2', 's3']) expect(await firstValueFrom(rpc.prepare({ server: s }).call('whoami'))).to.equal(s);
      const names = await lastValueFrom(range(0, 30).pipe(mergeMap(() => rpc.call<string>('whoami'), 3), toArray()));
      names.forEach((n) => answered.set(n, (answered.get(n) ?? 0) + 1));
    }
    expect([...answered.values()].reduce((a, b) => a + b, 0)).to.equal(90);
    expect([...answered.keys()].sort(), 'every server served topic calls').to.deep.equal(['s1', 's2', 's3']);
  });
});
