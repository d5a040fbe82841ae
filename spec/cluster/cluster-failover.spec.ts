/**
 * A node of the three-node RabbitMQ cluster SIGKILLed under load: the client, the server
 * and the listener connected to it move to other nodes, no call hangs, calls after the
 * failover succeed, and no durable notification the Notifier reported sent is lost
 * (oslo-rx's queues are mirrored to every node by the `oslo-rx-ha` policy). Then the node
 * restarts and rejoins while traffic goes on.
 *
 * The figures (calls, errors by type, notifications sent/received/duplicated, failover
 * times) are printed as one `cluster failover:` JSON line.
 */
import { expect } from 'chai';
import { type Observable, Subject, filter, firstValueFrom, interval, lastValueFrom, map, mergeMap, range, takeUntil, tap, toArray, zip } from 'rxjs';
import { type ConnectionState, Notifier, RpcClient, type Transport, isMessagingError, notificationListener } from '../../lib';
import { type ClusterNode, clusterCtl, clusterHost, clusterUrlVia, killClusterNode, requireCluster, restartClusterNode } from '../support/rabbitmq-cluster';
import { uniqueName, within } from '../support/wait';
import { countBy, reportFigures } from '../support/fault-figures';
import { Opened, answering, openNode, serve } from './cluster-support';

const VICTIM: ClusterNode = 1;
const CALLS = 1000;
const CALL_TIMEOUT_MS = 5000;
/** How late past its timeout a call may end (timers on a loaded machine). */
const CALL_SLACK_MS = 2000;
const NOTIFICATIONS = 5000;

/** One call's fate. */
interface CallRecord {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly outcome: string; // 'ok' or the error's name
}

/** The name a failure is counted under: the messaging error's name, else `untyped ...`. */
function errorName(e: unknown): string {
  return isMessagingError(e) ? e.name : `untyped ${String(e)}`;
}

/** 0, 1, ... `count - 1`, one every `everyMs`. */
function pacedIndexes(count: number, everyMs: number): Observable<number> {
  return zip(range(0, count), interval(everyMs)).pipe(map(([i]) => i));
}

/** Calls `add(i)` and records when it started and ended and how: 'ok' or the error's name. */
async function timedCall(client: RpcClient, i: number): Promise<CallRecord> {
  const startedAt = Date.now();
  const outcome = await firstValueFrom(client.call<number>('add', { a: i })).then(
    (v) => (v === i + 1 ? 'ok' : `wrong answer ${v}`),
    errorName,
  );
  return { startedAt, endedAt: Date.now(), outcome };
}

/** Runs `count` calls paced `everyMs` apart (at most `concurrency` at once), recording each. */
function paced(client: RpcClient, count: number, everyMs: number, concurrency: number, onDone: (r: CallRecord) => void): Promise<CallRecord[]> {
  return lastValueFrom(
    pacedIndexes(count, everyMs).pipe(
      mergeMap((i) => timedCall(client, i).then((r) => (onDone(r), r)), concurrency),
      toArray(),
    ),
  );
}

/** Time (ms since epoch) of each state change of `transport`, kept as they come. */
function stateLog(transport: Transport): { at: number; state: ConnectionState }[] {
  const log: { at: number; state: ConnectionState }[] = [];
  transport.state$.subscribe((state) => log.push({ at: Date.now(), state }));
  return log;
}

/** Resolves at the first value of `source` after which `done()` holds, or fails after `ms` naming `what`. */
function until<T>(source: Observable<T>, done: () => boolean, what: string, ms: number): Promise<void> {
  return within(firstValueFrom(source.pipe(filter(done), map(() => undefined))), what, ms);
}

describe('RabbitMQ cluster: a node SIGKILLed under load', function () {
  this.timeout(240_000);
  const opened = new Opened();

  before(async function () {
    await requireCluster(this);
  });
  after(() => opened.closeAll());

  it(`moves client, server and listener off the dead node; ${CALLS} calls never hang; no notification lost; the node rejoins under traffic`, async () => {
    const topic = uniqueName('cluster-failover');
    const notifyTopic = uniqueName('cluster-durable');
    // the victim's side: a client, a server and a listener, each on a node-1-first URL
    const clientT = opened.transport(clusterUrlVia(VICTIM));
    const serverT = opened.transport(clusterUrlVia(VICTIM));
    const listenerT = opened.transport(clusterUrlVia(VICTIM));
    // a server and notifiers elsewhere, and a notifier on the victim too
    const survivorT = opened.transport(clusterUrlVia(2));
    const notifierT = opened.transport(clusterUrlVia(3));
    const victimNotifierT = opened.transport(clusterUrlVia(VICTIM));
    const logs = { client: stateLog(clientT), server: stateLog(serverT), listener: stateLog(listenerT) };

    serve(opened, serverT, topic, 'moved');
    serve(opened, survivorT, topic, 'survivor');
    await answering(clientT, topic, 'moved');
    await answering(clientT, topic, 'survivor');

    const received: string[] = [];
    const arrivals = new Subject<void>();
    opened.keep(
      notificationListener(listenerT, [{ topic: notifyTopic }], { credit: 100 })
        .pipe(tap((n) => { n.ack(); received.push((n.payload as { id: string }).id); arrivals.next(); }))
        .subscribe(),
    );
    for (const t of [clientT, serverT, listenerT, victimNotifierT]) expect(await openNode(t)).to.equal(VICTIM);
    expect(await openNode(survivorT)).to.equal(2);
    expect(await openNode(notifierT)).to.equal(3);

    // traffic: paced calls, and durable notifications from two notifiers (half on the victim)
    const done: CallRecord[] = [];
    const callProgress = new Subject<void>();
    const client = new RpcClient(clientT, { topic }, { timeoutMs: CALL_TIMEOUT_MS });
    const calls = paced(client, CALLS, 8, 10, (r) => { done.push(r); callProgress.next(); });
    const sent: string[] = [];
    const failedSends: Record<string, number> = {};
    const notifyProgress = new Subject<void>();
    /** Sends `count` notifications paced 4 ms apart (20 in flight); a failed send is counted, not fatal. */
    const notifyAll = (notifier: Notifier, prefix: string, count: number): Promise<void> =>
      lastValueFrom(
        pacedIndexes(count, 4).pipe(
          mergeMap(async (i) => {
            const id = `${prefix}-${i}`;
            try {
              await lastValueFrom(notifier.info({}, 'cluster.failover', { id }), { defaultValue: undefined });
              sent.push(id);
              notifyProgress.next();
            } catch (e) {
              failedSends[errorName(e)] = (failedSends[errorName(e)] ?? 0) + 1;
            }
          }, 20),
        ),
        { defaultValue: undefined },
      );
    const durable = (t: Transport, name: string) => new Notifier(t, { publisherId: name, topics: [notifyTopic], durable: true });
    const notified = Promise.all([
      notifyAll(durable(notifierT, 'node3'), 'n3', NOTIFICATIONS / 2),
      notifyAll(durable(victimNotifierT, 'victim'), 'v1', NOTIFICATIONS / 2),
    ]);

    // SIGKILL the victim once a third of the calls and a fifth of the notifications are done
    await until(callProgress, () => done.length >= CALLS / 3, 'a third of the calls', 60_000);
    await until(notifyProgress, () => sent.length >= NOTIFICATIONS / 5, 'a fifth of the notifications', 60_000);
    const killedAt = Date.now();
    const callsBeforeKill = done.length;
    const sentBeforeKill = sent.length;
    await killClusterNode(VICTIM);
    const killScriptMs = Date.now() - killedAt;

    // each of the three moves to another node
    const moved = await Promise.all([clientT, serverT, listenerT].map((t) => openNode(t, 30_000, VICTIM)));
    // failover time of each: from its connection's drop (its `disconnected` state) to `open` on another node
    const failover = Object.fromEntries(
      Object.entries(logs).map(([name, log]) => {
        const drop = log.find((e) => e.at >= killedAt && e.state.state === 'disconnected');
        const reopen = log.find((e) => drop !== undefined && e.at >= drop.at && e.state.state === 'open');
        return [name, { dropSeenAfterKillMs: drop && drop.at - killedAt, failoverMs: drop && reopen && reopen.at - drop.at, reopenedAt: reopen?.at }];
      }),
    );
    moved.forEach((n) => expect(n).to.not.equal(VICTIM));
    const allMovedAt = Math.max(...Object.values(failover).map((f) => f.reopenedAt ?? Infinity));
    const clientDropAt = killedAt + (failover.client.dropSeenAfterKillMs ?? 0);

    // no call hangs: each ends (value or error) within its timeout
    const records = await within(calls, `the ${CALLS} calls to end`, CALLS * 8 + 60_000);
    expect(records).to.have.length(CALLS);
    const slowest = Math.max(...records.map((r) => r.endedAt - r.startedAt));
    expect(slowest, 'the longest call, in ms').to.be.at.most(CALL_TIMEOUT_MS + CALL_SLACK_MS);
    const outcomes = countBy(records.map((r) => r.outcome));
    const errorNames = Object.keys(outcomes).filter((k) => k !== 'ok');
    errorNames.forEach((k) => expect(k, 'every error is a typed messaging error').to.be.oneOf(['ConnectionLost', 'MessagingTimeout', 'MessageDeliveryFailure']));
    // calls started once all three had moved succeed
    const after = records.filter((r) => r.startedAt >= allMovedAt);
    const afterOk = after.filter((r) => r.outcome === 'ok').length;
    // the first call sent after the client's drop that succeeded, counted from the drop
    const firstOkAfterDrop = Math.min(...records.filter((r) => r.outcome === 'ok' && r.startedAt >= clientDropAt).map((r) => r.endedAt)) - clientDropAt;

    // every notification reported sent arrives (duplicates allowed, counted)
    await notified;
    const sentSet = new Set(sent);
    const arrived = new Set(received);
    const missing = new Set(sent.filter((id) => !arrived.has(id)));
    const settle = arrivals.pipe(tap(() => missing.delete(received[received.length - 1])));
    if (missing.size > 0) await until(settle, () => missing.size === 0, 'every notification reported sent to arrive', 60_000).catch(() => undefined);
    const lost = [...missing];
    const duplicates = received.length - new Set(received).size;
    const unreportedArrivals = [...new Set(received)].filter((id) => !sentSet.has(id)).length;

    // the moved server serves again, directly
    expect(await within(firstValueFrom(client.prepare({ server: 'moved', timeoutMs: 10_000 }).call('whoami')), 'a call to the moved server', 15_000)).to.equal('moved');
    const queuesAfter = await clusterCtl(2, ['list_queues', '--quiet', '--no-table-headers', 'name', 'pid', 'slave_pids']);

    // restart the node with traffic going on: calls through node 3 and notifications through node 2
    const stop = new Subject<void>();
    const restartTraffic = new RpcClient(opened.transport(clusterUrlVia(3)), { topic }, { timeoutMs: CALL_TIMEOUT_MS });
    const duringRestart: CallRecord[] = [];
    const restartCalls = lastValueFrom(
      interval(50).pipe(
        takeUntil(stop),
        mergeMap((i) => timedCall(restartTraffic, i).then((r) => duringRestart.push(r)), 5),
      ),
      { defaultValue: undefined },
    );
    const restartedAt = Date.now();
    await restartClusterNode(VICTIM);
    const restartMs = Date.now() - restartedAt;
    // the rejoined node serves: a client pinned to it calls the servers on the other nodes
    const rejoined = new RpcClient(opened.transport(clusterUrlVia(VICTIM, [])), { topic }, { timeoutMs: 10_000 });
    const rejoinedAnswers = [
      await within(firstValueFrom(rejoined.prepare({ server: 'moved' }).call('whoami')), 'a call through the rejoined node', 30_000),
      await within(firstValueFrom(rejoined.prepare({ server: 'survivor' }).call('whoami')), 'a call through the rejoined node', 30_000),
    ];
    stop.next();
    await within(restartCalls, 'the calls during the restart to end', 30_000);
    const running = await clusterCtl(2, ['eval', 'length(rabbit_nodes:all_running()).']);

    const figures = {
      calls: CALLS,
      outcomes,
      slowestCallMs: slowest,
      callsBeforeKill,
      callsStartedAfterFailover: after.length,
      callsOkAfterFailover: afterOk,
      firstOkCallAfterDropMs: firstOkAfterDrop,
      killScriptMs,
      failover: Object.fromEntries(Object.entries(failover).map(([k, { dropSeenAfterKillMs, failoverMs }]) => [k, { dropSeenAfterKillMs, failoverMs }])),
      movedTo: { client: moved[0], server: moved[1], listener: moved[2] },
      notifications: { attempted: NOTIFICATIONS, sent: sent.length, sentBeforeKill, failedSends, received: received.length, unique: new Set(received).size, duplicates, lost: lost.length, arrivedButNotReportedSent: unreportedArrivals },
      restart: { ms: restartMs, calls: duringRestart.length, outcomes: countBy(duringRestart.map((r) => r.outcome)), runningNodes: running.trim() },
      victimHost: clusterHost(VICTIM),
    };
    reportFigures('cluster failover', figures);
    const ours = queuesAfter.split('\n').filter((line) => line.includes(topic) || line.includes(notifyTopic));
    console.log(`this test's queues after the failover (name, master, mirrors):\n${ours.join('\n')}`);

    expect(after.length, 'calls started after the failover').to.be.greaterThan(0);
    expect(afterOk, 'calls started after the failover that succeeded').to.equal(after.length);
    expect(lost, 'notifications reported sent but never received').to.deep.equal([]);
    expect(rejoinedAnswers).to.deep.equal(['moved', 'survivor']);
    expect(running.trim()).to.equal('3');
    expect(duringRestart.length, 'calls made while the node restarted').to.be.greaterThan(0);
    expect(duringRestart.filter((r) => r.outcome !== 'ok'), 'calls that failed while the node restarted').to.deep.equal([]);
  });
});
