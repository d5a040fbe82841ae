/**
 * The user-level figures, written as a user would write them (public API only,
 * the embedded broker): batch work cancelled by a race must not stall a listener;
 * timeouts past Node's timer range and Infinity must not fail calls at once; a result that
 * cannot be encoded must reach the caller as an error, not as its deadline.
 */
import { expect } from 'chai';
import { type Observable, bufferCount, delay, lastValueFrom, map, mergeMap, of, race, range, tap, timer } from 'rxjs';
import {
  type IncomingNotification,
  Notifier,
  RpcClient,
  ackBatch,
  dispatch,
  isMessagingError,
  notificationListener,
  rpcServer,
} from '../../lib';
import { startEmbeddedIntermediary } from '../../lib/testing';
import { testResources } from '../support/test-resources';
import { outcomeOf, reportFigures } from '../support/fault-figures';
import { uniqueName, until, within } from '../support/wait';

describe('faults: user-level regressions (the embedded broker)', function () {
  this.timeout(60_000);
  let broker: Awaited<ReturnType<typeof startEmbeddedIntermediary>>;
  const res = testResources();
  const open = () => res.open(broker.url);
  before(async () => {
    broker = await startEmbeddedIntermediary({ mode: 'broker' });
  });
  after(async () => {
    await broker?.stop();
  });
  afterEach(async () => {
    await res.release();
  });

  const TOTAL = 40;
  const BATCH = 5;
  const CREDIT = 10;
  /**
   * The first two batches' work loses a race, so it is unsubscribed, neither completed nor
   * failed. (A `switchMap` over the batches is no test of this: with credit above one batch,
   * each batch's work is cancelled by the next, which is the released one coming back, so it
   * never ends: 178,240 deliveries and none processed in 25 s measured here. Use mergeMap,
   * concatMap or exhaustMap for batch work.)
   */
  const cancelFirstTwo = (work: (batch: IncomingNotification[]) => Observable<unknown>) =>
    mergeMap((batch: IncomingNotification[], index) => (index < 2 ? race(work(batch), of('cancelled')) : work(batch)));

  it(`bufferCount(${BATCH}) → ackBatch with batch work cancelled by a race (unsubscribed, neither completed nor failed): all ${TOTAL} processed, nothing stalls`, async () => {
    const topic = uniqueName('cancelled');
    const t = open();
    await lastValueFrom(range(0, TOTAL).pipe(mergeMap((i) => new Notifier(t, { publisherId: 'faults', topics: [topic] }).info({}, 'batch', { i }))), { defaultValue: undefined });
    const processed = new Set<number>();
    let started = 0;
    let deliveries = 0;
    const id = (n: IncomingNotification) => (n.payload as { i: number }).i;
    const work = (batch: IncomingNotification[]) => {
      started++;
      return timer(50).pipe(
        tap(() => batch.forEach((n) => processed.add(id(n)))),
        map(() => batch.length),
        ackBatch(batch),
      );
    };
    const t0 = Date.now();
    res.keep(
      notificationListener(t, [{ topic }], { credit: CREDIT, priorities: ['info'] })
        .pipe(
          tap(() => deliveries++),
          bufferCount(BATCH),
          cancelFirstTwo(work),
        )
        .subscribe(),
    );
    await until(() => processed.size === TOTAL, `all ${TOTAL} notifications processed`, 20_000).catch(() => undefined);
    await until(() => broker.stats().queued === 0, 'the queue empty', 5000).catch(() => undefined);
    reportFigures('batch work cancelled by a race', {
      sent: TOTAL,
      processed: processed.size,
      deliveries,
      redelivered: deliveries - TOTAL,
      batchesStarted: started,
      cancelledBatches: started - Math.ceil(processed.size / BATCH),
      leftOnBroker: broker.stats().queued,
      ms: Date.now() - t0,
    });
    expect(processed.size, 'notifications processed').to.equal(TOTAL);
    expect(broker.stats().queued, 'left on the broker').to.equal(0);
  });

  function echoServer(topic: string) {
    res.keep(
      rpcServer(open(), { topic, server: 's1' })
        .pipe(
          dispatch([
            {
              echo: (_c: unknown, { i }: { i: number }) => of(i).pipe(delay(20)),
              circular: () => {
                const o: Record<string, unknown> = { a: 1 };
                o.self = o;
                return o;
              },
              bigint: () => ({ n: BigInt(1) }),
            },
          ]),
        )
        .subscribe(),
    );
  }

  for (const timeoutMs of [2 ** 31 + 5000, Infinity]) {
    it(`timeoutMs ${timeoutMs === Infinity ? 'Infinity' : '2 ** 31 + 5000'}: calls succeed (not failed at once by a clamped timer)`, async () => {
      const topic = uniqueName('long-timeout');
      echoServer(topic);
      const rpc = new RpcClient(open(), { topic, server: 's1' }, { timeoutMs });
      const outcomes = await within(Promise.all([...Array(5).keys()].map((i) => outcomeOf(rpc.call<number>('echo', { i })))), 'calls with a long timeout', 15_000);
      reportFigures(`timeoutMs ${timeoutMs}`, { calls: 5, ok: outcomes.filter((o) => o.ok).length, errors: outcomes.map((o) => (o.ok ? '' : o.code)).filter(Boolean).join(',') || 'none' });
      expect(outcomes.map((o) => (o.ok ? o.value : (o.error as Error).message))).to.deep.equal([0, 1, 2, 3, 4]);
    });
  }

  it('an endpoint returning a value that cannot be encoded (a circular object): the caller gets an error at once, not at its deadline; the server goes on', async () => {
    const topic = uniqueName('unencodable');
    echoServer(topic);
    const rpc = new RpcClient(open(), { topic, server: 's1' }, { timeoutMs: 20_000 });
    const outcome = await within(outcomeOf(rpc.call('circular')), 'the call to end', 25_000);
    const next = await within(outcomeOf(rpc.call<number>('echo', { i: 7 })), 'the next call', 10_000);
    reportFigures('unencodable result (circular)', { ended: outcome.ok ? 'value' : outcome.code, ms: outcome.ms, message: outcome.ok ? '' : (outcome.error as Error).message.slice(0, 80), nextCall: next.ok ? next.value : next.code });
    expect(outcome.ok, 'the call fails').to.equal(false);
    expect(!outcome.ok && isMessagingError(outcome.error) && outcome.code !== 'MessagingTimeout', `a typed error other than the deadline: ${!outcome.ok && String(outcome.error)}`).to.equal(true);
    expect(outcome.ms, 'ms to the error (deadline 20000)').to.be.below(5000);
    expect(next.ok && next.value, 'the server answers the next call').to.equal(7);
  });

  it('an endpoint returning a BigInt: the caller gets it at once as a number (the wire writes BigInts as Python ints)', async () => {
    const topic = uniqueName('bigint');
    echoServer(topic);
    const rpc = new RpcClient(open(), { topic, server: 's1' }, { timeoutMs: 20_000 });
    const outcome = await within(outcomeOf(rpc.call<{ n: number }>('bigint')), 'the call to end', 25_000);
    reportFigures('BigInt result', { ended: outcome.ok ? JSON.stringify(outcome.value) : outcome.code, ms: outcome.ms });
    expect(outcome.ok ? outcome.value : String(outcome.error)).to.deep.equal({ n: 1 });
    expect(outcome.ms, 'ms to the answer').to.be.below(5000);
  });
});
