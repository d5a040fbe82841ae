/**
 * transport.health$: liveness and readiness through a broker stop and start, a receiver
 * that cannot attach, bad credentials and close.
 */
import { expect } from 'chai';
import { type Subscription, lastValueFrom, takeUntil, timer, toArray } from 'rxjs';
import { type Health, RpcClient, type Transport, createTransport, dispatch, rpcServer } from '../../lib';
import { startEmbeddedIntermediary } from '../../lib/testing';
import { freePort } from '../support/ports';
import { first, uniqueName, within } from '../support/wait';

describe('transport.health$', function () {
  this.timeout(60_000);
  const subs: Subscription[] = [];
  const transports: Transport[] = [];
  const open = (url: string) => {
    const t = createTransport(url, { connectionRetryIntervalMaxMs: 2000, linkRetryDelayMs: 1000 });
    transports.push(t);
    return t;
  };
  const ready = (t: Transport, what: string, ms = 15_000) => first(t.health$, what, ms, (h) => h.ready);
  afterEach(async () => {
    subs.splice(0).forEach((s) => s.unsubscribe());
    await Promise.all(transports.splice(0).map((t) => t.close()));
  });

  it('is live and not ready before anything uses the transport', async () => {
    const t = open('amqp://127.0.0.1:1');
    const h = await first(t.health$, 'the first health');
    expect(h).to.deep.include({ live: true, ready: false });
    expect(h.reason).to.match(/not connected yet/);
  });

  it('is ready with a server and the reply link attached, not ready while the broker is down, ready again after it is back, not live once closed', async () => {
    const port = await freePort();
    let broker = await startEmbeddedIntermediary({ mode: 'broker', port });
    try {
      const t = open(broker.url);
      const topic = uniqueName('health');
      subs.push(rpcServer(t, { topic, server: 's1' }).pipe(dispatch([{ ping: () => 'pong' }])).subscribe());
      expect(await firstCall(t, topic)).to.equal('pong');
      expect(await ready(t, 'ready with the server and reply links')).to.deep.equal({ live: true, ready: true });

      await broker.stop();
      const down = await first(t.health$, 'not ready while the broker is down', 10_000, (h) => !h.ready);
      expect(down.live).to.equal(true);
      expect(down.reason).to.match(/disconnected from 127\.0\.0\.1|connecting to 127\.0\.0\.1|receivers not attached/);

      broker = await startEmbeddedIntermediary({ mode: 'broker', port });
      expect(await ready(t, 'ready again after the broker is back', 30_000)).to.deep.equal({ live: true, ready: true });
      expect(await firstCall(t, topic)).to.equal('pong');

      const rest = lastValueFrom(t.health$.pipe(toArray()));
      await t.close();
      const after = await within(rest, 'health$ to complete on close');
      expect(after[after.length - 1]).to.deep.equal({ live: false, ready: false, reason: 'closed' });
    } finally {
      await broker.stop();
    }
  });

  it('is not ready while a receiver cannot attach, though connected, and names its address', async () => {
    const broker = await startEmbeddedIntermediary({ mode: 'broker' });
    try {
      const t = open(broker.url);
      await t.ready();
      await ready(t, 'ready with no receivers');
      // an empty source address is refused (amqp:invalid-field), and retried every linkRetryDelayMs
      const refused = t.receive({ address: '', credit: 1 }).subscribe({ error: () => undefined });
      subs.push(refused);
      const h: Health = await first(t.health$, 'not ready with the refused receiver', 10_000, (x) => !x.ready);
      expect(h).to.deep.equal({ live: true, ready: false, reason: '1 of 1 receivers not attached: ""' });
      refused.unsubscribe();
      expect(await ready(t, 'ready once the receiver is no longer wanted')).to.deep.equal({ live: true, ready: true });
    } finally {
      await broker.stop();
    }
  });

  it('is not ready once a receiver failed for good (its link refused for good), and says why, though its stream has ended', async () => {
    const broker = await startEmbeddedIntermediary({ mode: 'broker', refusePatterns: ['forbidden.*'] });
    try {
      const t = open(broker.url);
      await t.ready();
      await ready(t, 'ready with no receivers');
      let failure: unknown;
      const ended = new Promise<void>((done) => {
        subs.push(t.receive({ address: 'forbidden.queue', credit: 1 }).subscribe({ error: (e) => ((failure = e), done()) }));
      });
      await within(ended, 'the refused receiver to error');
      expect(failure).to.have.property('code', 'LinkRefused');
      const h = await first(t.health$, 'not ready with the failed receiver', 10_000, (x) => !x.ready);
      expect(h.live).to.equal(true);
      expect(h.reason).to.match(/^receiver "forbidden.queue" failed for good: .*unauthorized-access/);
      // still not ready a while later (nothing else to wait on: health$ must not turn ready by itself)
      const later = await lastValueFrom(t.health$.pipe(takeUntil(timer(1500)), toArray()));
      expect(later.every((x) => !x.ready), JSON.stringify(later)).to.equal(true);
    } finally {
      await broker.stop();
    }
  });

  it('is not live once the transport failed for good (bad credentials)', async () => {
    const broker = await startEmbeddedIntermediary({ mode: 'broker', users: { alice: 'right' } });
    try {
      const t = open(broker.url.replace('amqp://', 'amqp://alice:wrong@'));
      await t.ready().catch(() => undefined);
      const h = await first(t.health$, 'not live', 10_000, (x) => !x.live);
      expect(h.ready).to.equal(false);
      expect(h.reason).to.match(/^failed for good: /);
      expect(h.reason).to.not.include('wrong');
    } finally {
      await broker.stop();
    }
  });
});

function firstCall(t: Transport, topic: string): Promise<unknown> {
  return within(lastValueFrom(new RpcClient(t, { topic, server: 's1' }, { timeoutMs: 15_000 }).call('ping')), 'ping', 20_000);
}
