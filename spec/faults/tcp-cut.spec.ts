/**
 * The client's TCP path to the intermediary cut abruptly (every socket reset, new ones
 * refused) and restored, through a proxy between the client transport and the
 * intermediary; the RPC server and the listener stay connected directly. Calls made
 * while disconnected go out after the restore; calls in flight at the cut end at once
 * (a reply or a retryable ConnectionLost), never at their deadline; every notification
 * the Notifier reported sent arrives.
 */
import { expect } from 'chai';
import { delay, firstValueFrom, from, lastValueFrom, mergeMap, of, range, tap } from 'rxjs';
import { Notifier, RpcClient, dispatch, notificationListener, rpcServer, type AmqpOptions } from '../../lib';
import { startEmbeddedIntermediary } from '../../lib/testing';
import { testResources } from '../support/test-resources';
import { peerUrl, requirePeer } from '../support/peers';
import { type TcpProxy, startTcpProxy } from '../support/tcp-proxy';
import { countDeliveries, outcomeOf, reportFigures, tally } from '../support/fault-figures';
import { first, uniqueName, until, within } from '../support/wait';

/** Reconnects quickly, as a test can afford. */
const quick: Partial<AmqpOptions> = { connectionRetryIntervalMs: 1000, connectionRetryIntervalMaxMs: 1000 };

interface CutFixture {
  readonly name: string;
  setup(ctx: Mocha.Context): Promise<{ host: string; port: number; stop(): Promise<void> }>;
}

const fixtures: CutFixture[] = [
  {
    name: 'the embedded broker',
    setup: async () => {
      const broker = await startEmbeddedIntermediary({ mode: 'broker' });
      return { host: '127.0.0.1', port: broker.port, stop: () => broker.stop() };
    },
  },
  {
    name: 'the Proton C++ broker',
    setup: async (ctx) => {
      await requirePeer(ctx, 'proton');
      const url = new URL(peerUrl('proton'));
      return { host: url.hostname, port: Number(url.port), stop: async () => undefined };
    },
  },
];

for (const fixture of fixtures) {
  describe(`faults: the client's TCP path cut and restored (${fixture.name})`, function () {
    this.timeout(60_000);
    let intermediary: { host: string; port: number; stop(): Promise<void> };
    let proxy: TcpProxy;
    const res = testResources(quick);
    const open = (url: string) => res.open(url);

    before(async function () {
      intermediary = await fixture.setup(this);
    });
    after(async () => {
      await intermediary?.stop();
    });
    beforeEach(async () => {
      proxy = await startTcpProxy({ host: intermediary.host, port: intermediary.port });
    });
    afterEach(async () => {
      await res.release();
      await proxy.close();
    });

    const direct = () => open(`amqp://${intermediary.host}:${intermediary.port}`);

    /** A server on a direct transport whose `work` takes `ms`; counts the requests it got. */
    function serve(topic: string, ms: number) {
      const got = { requests: 0 };
      res.keep(
        rpcServer(direct(), { topic, server: 's1' })
          .pipe(
            dispatch([
              {
                work: (_c: unknown, { i }: { i: number }) => {
                  got.requests++;
                  return of(i).pipe(delay(ms));
                },
              },
            ]),
          )
          .subscribe(),
      );
      return got;
    }

    it('20 calls made while disconnected (path cut 1.5 s) all succeed after the restore, well before their 15 s deadline', async () => {
      const topic = uniqueName('cut-queued');
      serve(topic, 0);
      const client = open(proxy.url);
      const rpc = new RpcClient(client, { topic, server: 's1' }, { timeoutMs: 15_000 });
      expect(await within(firstValueFrom(rpc.call<number>('work', { i: -1 })), 'a first call', 15_000)).to.equal(-1);
      const cutAt = Date.now();
      proxy.cut();
      await first(client.state$, 'the client to see the cut', 10_000, (s) => s.state === 'disconnected');
      const calls = Promise.all([...Array(20).keys()].map((i) => outcomeOf(rpc.call<number>('work', { i }))));
      await new Promise((done) => setTimeout(done, Math.max(0, 1500 - (Date.now() - cutAt))));
      proxy.restore();
      const restoredAt = Date.now();
      const outcomes = await within(calls, 'the 20 queued calls to end', 20_000);
      const t = tally(outcomes);
      const afterRestoreMs = Date.now() - restoredAt;
      reportFigures(`${fixture.name}: calls queued during a 1.5 s cut`, { calls: 20, ok: t.ok, failed: t.failed, slowestMs: t.maxMs, endedAfterRestoreMs: afterRestoreMs, refusedConnects: proxy.refused });
      expect(t.failed, 'calls that failed, by error').to.deep.equal({});
      expect(outcomes.map((o) => (o.ok ? o.value : undefined))).to.deep.equal([...Array(20).keys()]);
      expect(t.maxMs, 'the slowest call, ms (deadline 15000)').to.be.below(10_000);
    });

    it('20 calls in flight (method takes 0.8 s) at a 0.5 s cut each end within 5 s: a reply or a retryable ConnectionLost; new calls succeed', async () => {
      const topic = uniqueName('cut-inflight');
      const server = serve(topic, 800);
      const client = open(proxy.url);
      const rpc = new RpcClient(client, { topic, server: 's1' }, { timeoutMs: 15_000 });
      expect(await within(firstValueFrom(rpc.call<number>('work', { i: -1 })), 'a first call', 15_000)).to.equal(-1);
      const calls = [...Array(20).keys()].map((i) => outcomeOf(rpc.call<number>('work', { i })));
      await until(() => server.requests >= 21, 'the server to have all 20 requests in hand', 10_000);
      await proxy.cutFor(500);
      const outcomes = await within(Promise.all(calls), 'the 20 calls in flight to end', 20_000);
      const t = tally(outcomes);
      reportFigures(`${fixture.name}: calls in flight at a 0.5 s cut`, { calls: 20, serverGot: server.requests - 1, ok: t.ok, failed: t.failed, slowestMs: t.maxMs });
      for (const o of outcomes) {
        if (!o.ok) expect({ code: o.code, retryable: o.retryable }, String(o.error)).to.deep.equal({ code: 'ConnectionLost', retryable: true });
        expect(o.ms, 'each call ends fast, not at its 15 s deadline').to.be.below(5000);
      }
      const later = await within(
        Promise.all([...Array(5).keys()].map((i) => outcomeOf(rpc.call<number>('work', { i: 100 + i })))),
        'new calls after the restore',
        20_000,
      );
      expect(tally(later).failed, 'new calls after the restore, failures by error').to.deep.equal({});
    });

    it('notifications sent across a 1 s cut: every one the Notifier reported sent is received', async () => {
      const topic = uniqueName('cut-notify');
      const total = 400;
      const received: number[] = [];
      res.keep(
        notificationListener(direct(), [{ topic }], { priorities: ['info'] })
          .pipe(tap((n) => n.ack()))
          .subscribe((n) => received.push((n.payload as { i: number }).i)),
      );
      const client = open(proxy.url);
      const notifier = new Notifier(client, { publisherId: 'faults', topics: [topic] });
      await within(firstValueFrom(notifier.info({}, 'warm.up', { i: -1 }), { defaultValue: undefined }), 'a first notification', 15_000);
      const sent = new Set<number>();
      const failed: string[] = [];
      let cut: Promise<void> | undefined;
      const started = Date.now();
      await within(
        lastValueFrom(
          range(0, total).pipe(
            mergeMap(
              (i) =>
                from(outcomeOf(notifier.info({}, 'across.cut', { i }))).pipe(
                  tap((o) => {
                    if (o.ok) sent.add(i);
                    else failed.push(o.code);
                    if (i === total / 2) cut = proxy.cutFor(1000);
                  }),
                ),
              10,
            ),
          ),
          { defaultValue: undefined },
        ),
        'every notification to be reported sent or failed',
        45_000,
      );
      await cut;
      const sendMs = Date.now() - started;
      await until(() => { const got = new Set(received); return [...sent].every((i) => got.has(i)); }, 'every notification reported sent to arrive', 20_000).catch(() => undefined);
      const count = countDeliveries(sent, received.filter((i) => i >= 0));
      reportFigures(`${fixture.name}: notifications across a 1 s cut`, { attempted: total, ...count, failedSends: failed.length, sendMs, connections: proxy.accepted });
      expect(count.lost, `lost ids ${count.lostIds.join(',')}`).to.equal(0);
      expect(failed, 'sends that failed (the Notifier retries across the cut)').to.deep.equal([]);
      expect(proxy.accepted, 'client connections through the proxy (the cut forced a reconnect)').to.be.at.least(2);
    });
  });
}
