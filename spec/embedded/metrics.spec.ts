/**
 * transport.metrics() and metrics$ after a known mix of calls and deliveries on the
 * embedded broker: ok, remote errors, a timeout, a cancellation, and a reconnect.
 */
import { expect } from 'chai';
import { NEVER, Subject, type Subscription, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { MessagingTimeout, RemoteError, RpcClient, Transport, type TransportMetrics, createTransport, dispatch, rpcServer } from '../../lib';
import { startEmbeddedIntermediary, type EmbeddedIntermediary } from '../../lib/testing';
import { freePort } from '../support/ports';
import { first, uniqueName, within } from '../support/wait';

describe('transport metrics', function () {
  this.timeout(60_000);
  let broker: EmbeddedIntermediary;
  const subs: Subscription[] = [];
  const transports: Transport[] = [];
  const open = (url: string, metricsIntervalMs?: number) => {
    const t = createTransport(url, { connectionRetryIntervalMaxMs: 2000, ...(metricsIntervalMs === undefined ? {} : { metricsIntervalMs }) });
    transports.push(t);
    return t;
  };
  /** Polls `t.metrics()` until `done` holds (bounded): counters settle a tick after the event that moves them. */
  const settled = async (t: Transport, what: string, done: (m: TransportMetrics) => boolean) => {
    const until = Date.now() + 10_000;
    while (!done(t.metrics())) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(t.metrics())}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return t.metrics();
  };

  before(async () => {
    broker = await startEmbeddedIntermediary({ mode: 'broker' });
  });
  after(() => broker.stop());
  afterEach(async () => {
    subs.splice(0).forEach((s) => s.unsubscribe());
    await Promise.all(transports.splice(0).map((t) => t.close()));
  });

  it('counts calls (ok, remote errors, a timeout, a cancellation), sends, deliveries, links and credit', async () => {
    const client = open(broker.url);
    const server = open(broker.url);
    const topic = uniqueName('metrics');
    const slowStarted = new Subject<void>();
    const finishSlow = new Subject<string>();
    const endpoint = {
      ok: () => 'fine',
      boom: () => {
        throw new Error('boom');
      },
      hang: () => NEVER,
      slow: () => {
        slowStarted.next();
        return firstValueFrom(finishSlow);
      },
    };
    subs.push(rpcServer(server, { topic, server: 's1' }).pipe(dispatch([endpoint])).subscribe());
    const rpc = new RpcClient(client, { topic }, { timeoutMs: 15_000 });
    const fresh = client.metrics();
    expect(fresh.connection).to.deep.equal({ state: 'idle', reconnects: 0 });
    expect(fresh.calls).to.deep.include({ pending: 0, ok: 0, failed: 0, timedOut: 0, cancelled: 0 });

    for (let i = 0; i < 3; i++) expect(await firstValueFrom(rpc.call('ok'))).to.equal('fine');
    for (let i = 0; i < 2; i++) {
      const e = await firstValueFrom(rpc.call('boom')).catch((x: unknown) => x);
      expect(e).to.be.instanceOf(RemoteError);
    }
    // the server never answers this one (and holds the request)
    const timedOut = await firstValueFrom(rpc.prepare({ timeoutMs: 500 }).call('hang')).catch((x: unknown) => x);
    expect(timedOut).to.be.instanceOf(MessagingTimeout);
    // cancelled once the server has it; its late reply is discarded when it comes
    const started = first(slowStarted, 'the slow method to start');
    const cancelled = rpc.call('slow').subscribe();
    await started;
    expect(client.metrics().calls.pending).to.equal(1);
    cancelled.unsubscribe();
    finishSlow.next('late');

    const replyCredit = client.options.replyLinkCredit;
    // credit comes back in one grant a moment after the last settlement (the link was never short of it)
    const c = await settled(client, 'the late reply to be settled and its credit back', (m) => m.deliveries.received === 6 && m.deliveries.unsettled === 0 && m.credit.outstanding === replyCredit);
    expect(c.connection).to.deep.equal({ state: 'open', reconnects: 0 });
    expect(c.calls).to.deep.include({ pending: 0, ok: 3, failed: 2, timedOut: 1, cancelled: 1 });
    expect(c.calls.latencyMs.count).to.equal(5);
    expect(c.calls.latencyMs.p50).to.be.above(0);
    expect(c.calls.latencyMs.p99).to.be.at.least(c.calls.latencyMs.p50);
    expect(c.calls.latencyMs.max).to.be.at.least(c.calls.latencyMs.p99);
    expect(c.sends).to.deep.equal({ pending: 0, accepted: 7, released: 0, rejected: 0, modified: 0, settled: 0, failed: 0 });
    // 5 replies matched (accepted), the late one discarded (modified, undeliverable here)
    expect(c.deliveries).to.deep.equal({ received: 6, accepted: 5, released: 0, modified: 1, rejected: 0, unsettled: 0 });
    expect(c.links).to.deep.equal({ senders: 1, receivers: 1 });
    expect(c.credit).to.deep.equal({ granted: replyCredit + 6, outstanding: replyCredit });

    const credit = server.options.rpcServerCredit;
    const s = await settled(server, 'the server to settle its 6 answered requests and get their credit back', (m) => m.deliveries.accepted === 6 && m.sends.pending === 0 && m.credit.outstanding === 3 * credit - 1);
    expect(s.calls).to.deep.include({ pending: 0, ok: 0, failed: 0, timedOut: 0, cancelled: 0 });
    // replies go pre-settled by default
    expect(s.sends).to.deep.include({ pending: 0, settled: 6, failed: 0 });
    // the hanging request is still held
    expect(s.deliveries).to.deep.equal({ received: 7, accepted: 6, released: 0, modified: 0, rejected: 0, unsettled: 1 });
    expect(s.links.receivers).to.equal(3);
    expect(s.credit).to.deep.equal({ granted: 3 * credit + 6, outstanding: 3 * credit - 1 });
  });

  it('counts a delivery held by the application as unsettled, and its credit as used', async () => {
    const t = open(broker.url);
    const topic = uniqueName('held');
    const held: { ack(): boolean }[] = [];
    subs.push(rpcServer(t, { topic, server: 's1' }, { credit: 5 }).subscribe((r) => held.push(r)));
    await within(lastValueFrom(new RpcClient(t, { topic }).cast('x'), { defaultValue: undefined }), 'the cast');
    const m = await settled(t, 'the cast to arrive', (x) => x.deliveries.received === 1);
    expect(m.deliveries.unsettled).to.equal(1);
    expect(m.credit).to.deep.equal({ granted: 15, outstanding: 14 });
    held[0].ack();
    const after = await settled(t, 'the ack and its credit', (x) => x.deliveries.unsettled === 0 && x.credit.granted === 16);
    expect(after.deliveries.accepted).to.equal(1);
    expect(after.credit).to.deep.equal({ granted: 16, outstanding: 15 });
  });

  it('metrics$ emits every metricsIntervalMs, each with the latency of its own interval, and completes on close', async () => {
    const t = open(broker.url, 200);
    const topic = uniqueName('tick');
    subs.push(rpcServer(t, { topic, server: 's1' }).pipe(dispatch([{ ok: () => 1 }])).subscribe());
    const ticks: TransportMetrics[] = [];
    const all = lastValueFrom(t.metrics$.pipe(toArray()));
    subs.push(t.metrics$.subscribe((m) => ticks.push(m)));
    await firstValueFrom(new RpcClient(t, { topic }, { timeoutMs: 15_000 }).call('ok'));
    const withCall = await first(t.metrics$, 'a tick with the call', 5000, (m) => m.calls.latencyMs.count === 1);
    const next = await first(t.metrics$, 'the tick after it', 5000, (m) => m.at > withCall.at);
    expect(next.calls.ok).to.equal(1);
    expect(next.calls.latencyMs).to.deep.equal({ count: 0, p50: 0, p99: 0, max: 0 });
    await t.close();
    expect((await within(all, 'metrics$ to complete on close')).length).to.be.at.least(2);
    expect(ticks.length).to.be.at.least(2);
  });

  it('metrics$ emits nothing with metricsIntervalMs 0, and completes on close', async () => {
    const t = open(broker.url, 0);
    const all = lastValueFrom(t.metrics$.pipe(toArray()));
    await t.ready();
    await t.close();
    expect(await within(all, 'metrics$ to complete')).to.deep.equal([]);
  });

  it('counts a reconnect after the broker is stopped and started', async () => {
    const port = await freePort();
    let b = await startEmbeddedIntermediary({ mode: 'broker', port });
    try {
      const t = open(b.url);
      await t.ready();
      await b.stop();
      await first(t.state$, 'disconnected', 10_000, (s) => s.state === 'disconnected');
      expect(t.metrics().connection.state).to.not.equal('open');
      b = await startEmbeddedIntermediary({ mode: 'broker', port });
      await first(t.state$, 'open again', 30_000, (s) => s.state === 'open');
      expect(t.metrics().connection).to.deep.equal({ state: 'open', reconnects: 1 });
      await t.close();
      expect(t.metrics().connection.state).to.equal('closed');
    } finally {
      await b.stop();
    }
  });

  it("counts nothing with the benchmark's internal counting switch off, and calls still work", async () => {
    const t = new Transport(broker.url, {}, { counting: false });
    transports.push(t);
    const topic = uniqueName('uncounted');
    subs.push(rpcServer(t, { topic, server: 's1' }).pipe(dispatch([{ ok: () => 'fine' }])).subscribe());
    expect(await firstValueFrom(new RpcClient(t, { topic }, { timeoutMs: 15_000 }).call('ok'))).to.equal('fine');
    expect(t.counters).to.equal(undefined);
    const m = t.metrics();
    expect(m.calls).to.deep.include({ pending: 0, ok: 0, failed: 0 });
    expect(m.sends.accepted + m.sends.settled).to.equal(0);
    expect(m.deliveries.received).to.equal(0);
    expect(m.links.receivers, 'gauges read from the links still work').to.be.greaterThan(0);
  });
});
