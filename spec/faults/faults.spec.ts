/**
 * Faults: the intermediary killed mid-stream, the transport closed under waiting calls,
 * a slow consumer. Nothing may hang, nothing accepted may be lost.
 */
import { expect } from 'chai';
import { type Subscription, filter, firstValueFrom, lastValueFrom, mergeMap, range, take, tap, toArray } from 'rxjs';
import { Notifier, RpcClient, type Transport, createTransport, dispatch, isMessagingError, notificationListener, rpcServer } from '../../lib';
import { startEmbeddedIntermediary } from '../../lib/testing';
import { startProtonBroker } from '../support/peers';
import { first, uniqueName, within } from '../support/wait';
import { freePort } from '../support/ports';

describe('faults', function () {
  this.timeout(90_000);
  const transports: Transport[] = [];
  const subs: Subscription[] = [];
  const open = (url: string) => {
    const t = createTransport(url, { connectionRetryIntervalMaxMs: 2000, linkRetryDelayMs: 1000 });
    transports.push(t);
    return t;
  };
  afterEach(async () => {
    subs.splice(0).forEach((s) => s.unsubscribe());
    await Promise.all(transports.splice(0).map((t) => t.close()));
  });

  it('a call waiting for its reply errors with TransportClosed when the transport closes, and later calls too', async () => {
    const broker = await startEmbeddedIntermediary({ mode: 'broker' });
    try {
      const t = open(broker.url);
      const client = new RpcClient(t, { topic: uniqueName('nobody') }, { timeoutMs: 60_000 });
      const pending = firstValueFrom(client.call('x')).catch((e: unknown) => e);
      await t.ready();
      await first(t.state$, 'open', 5000, (s) => s.state === 'open');
      await t.close();
      const error = await within(pending, 'the pending call to end', 5000);
      expect(isMessagingError(error, 'TransportClosed'), String(error)).to.equal(true);
      const later = await within(firstValueFrom(client.call('x')).catch((e: unknown) => e), 'a call on a closed transport', 5000);
      expect(isMessagingError(later, 'TransportClosed'), String(later)).to.equal(true);
      const notify = await within(
        lastValueFrom(new Notifier(t, { publisherId: 'p' }).info({}, 'e', {})).catch((e: unknown) => e),
        'a notification on a closed transport',
        5000,
      );
      expect(isMessagingError(notify, 'TransportClosed'), String(notify)).to.equal(true);
    } finally {
      await broker.stop();
    }
  });

  for (const kind of ['embedded', 'proton'] as const) {
    it(`the ${kind} broker killed under load: no call hangs, and RPC resumes after its restart`, async function () {
      const port = await freePort();
      const start = async () => {
        if (kind === 'embedded') {
          const b = await startEmbeddedIntermediary({ mode: 'broker', port });
          return { url: b.url, stop: () => b.stop() };
        }
        try {
          return await startProtonBroker(port);
        } catch (e) {
          if (process.env.CI) throw e;
          this.skip();
          throw e;
        }
      };
      let broker = await start();
      try {
        const serverSide = open(broker.url);
        const clientSide = open(broker.url);
        const topic = uniqueName('fault');
        subs.push(
          rpcServer(serverSide, { topic, server: 's1' })
            .pipe(dispatch([{ add: async (_c: unknown, { a }: { a: number }) => a + 1 }]))
            .subscribe(),
        );
        const client = new RpcClient(clientSide, { topic, server: 's1' }, { timeoutMs: 4000 });
        expect(await within(firstValueFrom(client.call<number>('add', { a: 1 })), 'a first call', 15_000)).to.equal(2);
        // 200 calls in flight, then the broker goes away
        const inFlight = lastValueFrom(
          range(0, 200).pipe(
            mergeMap((i) => client.call<number>('add', { a: i }).pipe(tap({ error: () => undefined }))),
            toArray(),
          ),
        ).catch((e: unknown) => e);
        await broker.stop();
        const outcome = await within(inFlight, 'the calls in flight to end (value or error), never hang', 20_000);
        if (outcome instanceof Error) {
          expect(isMessagingError(outcome), String(outcome)).to.equal(true);
          expect(outcome.name).to.be.oneOf(['MessagingTimeout', 'MessageDeliveryFailure', 'ConnectionLost']);
        }
        broker = await start();
        await first(clientSide.state$, 'the client reconnected', 30_000, (s) => s.state === 'open');
        // the server's links come back by themselves; a call succeeds again
        let answered: number | undefined;
        const until = Date.now() + 30_000;
        while (answered === undefined && Date.now() < until) {
          answered = await firstValueFrom(client.call<number>('add', { a: 41 })).catch(() => undefined);
        }
        expect(answered).to.equal(42);
      } finally {
        await broker.stop();
      }
    });
  }

  it('notifications sent while the broker is down arrive after it comes back; none is lost', async () => {
    const port = await freePort();
    let broker = await startEmbeddedIntermediary({ mode: 'broker', port });
    try {
      const t = open(broker.url);
      const topic = uniqueName('outage');
      await t.ready();
      await broker.stop();
      await first(t.state$, 'disconnected', 10_000, (s) => s.state === 'disconnected');
      const notifier = new Notifier(t, { publisherId: 'p', topics: [topic] });
      const sent = lastValueFrom(range(0, 20).pipe(mergeMap((i) => notifier.info({}, 'during.outage', { i }))), { defaultValue: undefined });
      broker = await startEmbeddedIntermediary({ mode: 'broker', port });
      await within(sent, 'the queued notifications to be accepted', 30_000);
      const got = await within(
        firstValueFrom(
          notificationListener(t, [{ topic }]).pipe(
            tap((n) => n.ack()),
            take(20),
            toArray(),
          ),
        ),
        'the 20 notifications',
        15_000,
      );
      expect(got.map((n) => (n.payload as { i: number }).i).sort((a, b) => a - b)).to.deep.equal([...Array(20).keys()]);
    } finally {
      await broker.stop();
    }
  });

  it('a slow consumer holds only its credit; the rest waits on the broker, not in memory', async () => {
    const broker = await startEmbeddedIntermediary({ mode: 'broker' });
    try {
      const t = open(broker.url);
      const topic = uniqueName('slow');
      const notifier = new Notifier(t, { publisherId: 'p', topics: [topic] });
      await lastValueFrom(range(0, 50).pipe(mergeMap((i) => notifier.info({}, 'e', { i }))), { defaultValue: undefined });
      const held: unknown[] = [];
      const all = notificationListener(t, [{ topic }], { credit: 5, priorities: ['info'] });
      const five = await within(firstValueFrom(all.pipe(tap((n) => held.push(n)), filter(() => held.length === 5), take(1))), 'five', 10_000);
      expect(five).to.not.equal(undefined);
      expect(broker.stats().queued, 'the other 45 stay on the broker').to.equal(45);
    } finally {
      await broker.stop();
    }
  });
});
