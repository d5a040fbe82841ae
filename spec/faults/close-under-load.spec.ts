/**
 * `close()` under 100 calls in flight and a batch held by a listener, in a child process:
 * close resolves, every call ends (TransportClosed), the batch goes back to the broker,
 * and the process exits by itself (no process.exit): nothing (timer, socket) is left holding it open.
 */
import { expect } from 'chai';
import { NEVER, lastValueFrom, mergeMap, range } from 'rxjs';
import { Notifier, rpcServer } from '../../lib';
import { startEmbeddedIntermediary } from '../../lib/testing';
import { testResources } from '../support/test-resources';
import { spawnNodeChild } from '../support/node-child';
import { reportFigures } from '../support/fault-figures';
import { uniqueName, until } from '../support/wait';

const CALLS = 100;
const BATCH = 5;

/** Where the calls wait when close() comes. */
const cases = [
  { mode: 'broker', what: '100 calls held by a server and a batch held by a listener', serve: true, batch: BATCH },
  // the router grants a sender credit only once a consumer exists: the calls wait on their sender
  { mode: 'router', what: '100 calls to a topic nobody serves', serve: false, batch: 0 },
] as const;

for (const c of cases) {
describe(`faults: close() under ${c.what} (the embedded ${c.mode}, in a child process)`, function () {
  this.timeout(60_000);
  const res = testResources();
  afterEach(async () => {
    await res.release();
  });

  it(`close resolves, every call ends${c.batch ? ', the batch is released' : ''}, and the process exits by itself`, async () => {
    const broker = await startEmbeddedIntermediary({ mode: c.mode });
    const topic = uniqueName('closing');
    const server = res.open(broker.url);
    let held = 0;
    // a server that takes every request and never answers
    if (c.serve)
      res.keep(
      rpcServer(server, { topic, server: 's1' })
        .pipe(
          mergeMap((request) => {
            held++;
            request.ack();
            return NEVER;
          }),
        )
        .subscribe(),
    );
    const child = spawnNodeChild('spec/faults/children/close-under-load.ts', [broker.url, topic, String(CALLS), String(c.batch), '{}']);
    try {
      await child.message('ready', (m) => m.ready === true, 20_000);
      if (c.batch) {
        const notifier = new Notifier(server, { publisherId: 'faults', topics: [topic] });
        await lastValueFrom(range(0, c.batch).pipe(mergeMap((i) => notifier.info({}, 'held', { i }))), { defaultValue: undefined });
        await child.message('a batch held', (m) => Array.isArray(m.batch), 10_000);
      }
      // (on the router the calls, made before the child said ready, wait on their senders: nothing to observe)
      if (c.serve) await until(() => held === CALLS, `the server to hold all ${CALLS} calls`, 20_000);
      const queuedBefore = broker.stats().queued;
      const closing = Date.now();
      child.tell({ close: true });
      const report = (await child.message('how close ended', (m) => m.closed === true, 15_000)) as {
        closeMs: number;
        calls: Record<string, number>;
        listener: string;
        resources: string[];
      };
      const exit = await child.exit(10_000).catch((e: Error) => e);
      const exitMs = Date.now() - closing;
      await until(() => broker.stats().queued === queuedBefore + c.batch, 'the held batch back on the broker', 5000).catch(() => undefined);
      reportFigures(`close() under ${c.what} (${c.mode})`, {
        calls: CALLS,
        callsEnded: report.calls,
        batchHeld: c.batch,
        batchBackOnBroker: broker.stats().queued - queuedBefore,
        listener: report.listener,
        closeMs: report.closeMs,
        // what was still active one tick after close() resolved (stdio pipes included); the exit below shows none of it holds the process
        resourcesAfterClose: report.resources.join(',') || 'none',
        exitedAfterMs: exit instanceof Error ? 'no' : exitMs,
        lingering: (child.messages.find((m) => 'lingering' in m)?.lingering as string[] | undefined)?.join(',') ?? 'none',
      });
      expect(report.calls, 'how the calls in flight ended').to.deep.equal({ TransportClosed: CALLS });
      expect(report.listener, 'the listener stream').to.equal(c.batch ? 'complete' : 'none');
      expect(broker.stats().queued - queuedBefore, 'the held batch released back to the broker').to.equal(c.batch);
      expect(exit, 'the child exits by itself, status 0').to.deep.equal({ code: 0, signal: null });
    } finally {
      await child.kill();
      await broker.stop();
    }
  });
});
}
