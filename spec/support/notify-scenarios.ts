/**
 * Notification scenarios, run against every intermediary.
 */
import { expect } from 'chai';
import { EMPTY, type Subscription, bufferTime, catchError, filter, firstValueFrom, lastValueFrom, mergeMap, of, tap, throwError, timer } from 'rxjs';
import {
  type AmqpOptions,
  IncomingNotification,
  Notifier,
  type Transport,
  ackBatch,
  createTransport,
  filterNotifications,
  notificationListener,
} from '../../lib';
import { uniqueName, within } from './wait';

/** How a suite reaches one intermediary for notifications. */
export interface NotifyFixture {
  /** Suite title. */
  readonly name: string;
  /** Starts or checks the intermediary. */
  setup(ctx: Mocha.Context): Promise<void>;
  /** Clean-up. */
  teardown?(): Promise<void>;
  /** The transport URL. */
  url(): string;
  /** Extra transport options. */
  readonly options?: Partial<AmqpOptions>;
  /** Keeps notifications sent before a listener exists. */
  readonly storeAndForward: boolean;
  /** Delivers requeued notifications again. */
  readonly redeliversRequeued: boolean;
}

/** Collects a stream's items; `count(n)` waits (bounded) for n of them. */
function collect<T>(source: { subscribe: (o: { next: (v: T) => void; error: (e: unknown) => void }) => Subscription }) {
  const items: T[] = [];
  let failure: unknown;
  const sub = source.subscribe({ next: (v) => items.push(v), error: (e) => (failure = e) });
  const count = async (n: number, what: string, ms = 15_000) => {
    const until = Date.now() + ms;
    while (items.length < n) {
      if (failure) throw failure;
      if (Date.now() > until) throw new Error(`timed out waiting for ${n} ${what} (have ${items.length})`);
      await firstValueFrom(timer(10));
    }
    return items.slice(0, n);
  };
  return { items, count, stop: () => sub.unsubscribe() };
}

/** Registers the notification scenarios for `fixture`. */
export function notifyScenarios(fixture: NotifyFixture): void {
  describe(`notifications on ${fixture.name}`, function () {
    this.timeout(120_000);
    let transport: Transport;
    let topic: string;
    before(async function () {
      await fixture.setup(this);
    });
    beforeEach(() => {
      transport = createTransport(fixture.url(), { connectionRetryIntervalMaxMs: 2000, ...fixture.options });
      topic = uniqueName('notif');
    });
    afterEach(() => transport.close());
    after(async () => {
      await fixture.teardown?.();
    });

    /**
     * A listener whose links are attached, proven by a probe notification arriving. Probes
     * are acked and kept out of the collected items (a router may deliver a held probe late).
     */
    async function listening(options = {}) {
      let probed = false;
      const rx = collect<IncomingNotification>(
        notificationListener(transport, [{ topic }], options).pipe(
          filter((n) => {
            if (n.publisherId !== 'probe') return true;
            probed = true;
            n.ack();
            return false;
          }),
        ),
      );
      const probe = new Notifier(transport, { publisherId: 'probe', topics: [topic] });
      const until = Date.now() + 15_000;
      while (!probed) {
        if (Date.now() > until) throw new Error('listener never attached');
        probe.info({}, 'probe', {}).subscribe({ error: () => undefined });
        await firstValueFrom(timer(100));
      }
      return rx;
    }

    it('delivers every priority with every field intact', async () => {
      const rx = await listening();
      const notifier = new Notifier(transport, { publisherId: 'compute.host1', topics: [topic] });
      const ctx = { user_id: 'u1', project_id: 'p1', auth_token: 'secret-token' };
      // a router completes a send only once the listener has acked it: send, then ack, then wait
      const sent = Promise.all([
        lastValueFrom(notifier.info(ctx, 'compute.instance.create.end', { id: 42, name: 'vm' }), { defaultValue: undefined }),
        ...(['audit', 'debug', 'warn', 'warning', 'error', 'critical', 'sample'] as const).map((p) =>
          lastValueFrom(notifier[p]({}, `event.${p}`, { p }), { defaultValue: undefined }),
        ),
      ]);
      const all = await rx.count(8, 'notifications');
      all.forEach((n) => n.ack());
      await within(sent, 'every send to complete');
      const info = all.find((n) => n.eventType === 'compute.instance.create.end')!;
      expect(info.priority).to.equal('info');
      expect(info.publisherId).to.equal('compute.host1');
      expect(info.payload).to.deep.equal({ id: 42, name: 'vm' });
      expect(info.context).to.deep.equal({ user_id: 'u1', project_id: 'p1' });
      expect(info.context, 'auth_token never leaves the notifier').to.not.have.property('auth_token');
      expect(info.metadata.messageId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(info.metadata.timestamp).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$/);
      expect(info.version).to.equal(2);
      expect(all.map((n) => n.priority).sort()).to.deep.equal(['audit', 'critical', 'debug', 'error', 'info', 'sample', 'warn', 'warn']);
      rx.stop();
    });

    it('marks notifications durable when asked (an oslo-rx addition)', async () => {
      const rx = await listening();
      const sent = lastValueFrom(new Notifier(transport, { publisherId: 'd', topics: [topic], durable: true }).info({}, 'kept', {}), { defaultValue: undefined });
      const [n] = await rx.count(1, 'durable notification');
      expect(n.delivery.message.durable).to.equal(true);
      n.ack();
      await within(sent, 'the send to complete');
      rx.stop();
    });

    it('listens to the priorities asked for, in any case, with warning meaning warn', async () => {
      const rx = collect<IncomingNotification>(notificationListener(transport, [{ topic }], { priorities: ['WARNING'] }).pipe(tap((n) => n.ack())));
      const notifier = new Notifier(transport, { publisherId: 'w', topics: [topic] });
      const until = Date.now() + 15_000;
      // send until the link is attached (a router releases what it cannot deliver yet)
      while (rx.items.length === 0 && Date.now() < until) {
        await lastValueFrom(notifier.warning({}, 'careful', {}), { defaultValue: undefined }).catch(() => undefined);
        await firstValueFrom(timer(50));
      }
      // nobody listens to info here: on a router it is released and resent until the transport closes
      notifier.info({}, 'not.listened', {}).subscribe({ error: () => undefined });
      const [n] = await rx.count(1, 'warn notification');
      expect([n.priority, n.eventType]).to.deep.equal(['warn', 'careful']);
      rx.stop();
    });

    it('decodes v1 (messaging driver) notifications too', async () => {
      const rx = await listening();
      const sent = lastValueFrom(new Notifier(transport, { publisherId: 'v1', topics: [topic], driver: 'messaging' }).error({}, 'e', [1, 2]), { defaultValue: undefined });
      const [n] = await rx.count(1, 'v1 notification');
      expect([n.version, n.priority, n.payload]).to.deep.equal([1, 'error', [1, 2]]);
      n.ack();
      await within(sent, 'the send to complete');
      rx.stop();
    });

    it('filters with oslo NotificationFilter rules and acks what it drops', async () => {
      const rx = collect<IncomingNotification>(
        notificationListener(transport, [{ topic }]).pipe(
          filterNotifications({ eventType: /compute\./, context: { project_id: 'p1' } }),
          tap((n) => n.ack()),
        ),
      );
      const notifier = new Notifier(transport, { publisherId: 'x', topics: [topic] });
      const sendAll = async () => {
        for (const [e, p] of [['compute.start', 'p1'], ['network.start', 'p1'], ['compute.stop', 'p2'], ['compute.stop', 'p1']]) {
          await lastValueFrom(notifier.info({ project_id: p }, e, {}), { defaultValue: undefined });
        }
      };
      await sendAll();
      const got = await rx.count(2, 'matching notifications');
      expect(got.map((n) => n.eventType)).to.deep.equal(['compute.start', 'compute.stop']);
      rx.stop();
    });

    if (fixture.storeAndForward) {
      it('keeps notifications sent before any listener, and delivers them on subscribe', async () => {
        const notifier = new Notifier(transport, { publisherId: 'early', topics: [topic] });
        await lastValueFrom(notifier.info({}, 'before.listener', { n: 1 }), { defaultValue: undefined });
        const rx = collect<IncomingNotification>(notificationListener(transport, [{ topic }]));
        const [n] = await rx.count(1, 'stored notification');
        expect(n.eventType).to.equal('before.listener');
        n.ack();
        rx.stop();
      });
    }

    if (fixture.redeliversRequeued) {
      it('delivers a requeued notification again', async () => {
        const rx = await listening();
        await lastValueFrom(new Notifier(transport, { publisherId: 'rq', topics: [topic] }).info({}, 'again', {}), { defaultValue: undefined });
        const [first] = await rx.count(1, 'notification');
        first.requeue();
        const [, second] = await rx.count(2, 'redelivered notification');
        expect(second.metadata.messageId).to.equal(first.metadata.messageId);
        second.ack();
        rx.stop();
      });

      it('passes 10,000 notifications through bufferTime batches, requeueing some batches, none lost or duplicated', async () => {
        const total = 10_000;
        const seen = new Map<number, number>();
        let failedBatches = 0;
        let done!: () => void;
        const finished = new Promise<void>((r) => (done = r));
        const sub = notificationListener(transport, [{ topic }], { credit: 500, priorities: ['info'] })
          .pipe(
            bufferTime(200, null, 250),
            mergeMap((batch) => {
              if (batch.length === 0) return EMPTY;
              // every 7th batch fails once: all of it is requeued and must come back
              const fail = ++failedBatches % 7 === 0;
              const work = fail ? throwError(() => new Error('batch failed')) : of(batch);
              return work.pipe(
                ackBatch(batch),
                mergeMap((b) => {
                  for (const n of b) {
                    const i = (n.payload as { i: number }).i;
                    seen.set(i, (seen.get(i) ?? 0) + 1);
                  }
                  if (seen.size === total) done();
                  return EMPTY;
                }),
                catchError(() => EMPTY),
              );
            }),
          )
          .subscribe();
        const notifier = new Notifier(transport, { publisherId: 'load', topics: [topic] });
        await lastValueFrom(
          of(...Array.from({ length: total }, (_, i) => i)).pipe(mergeMap((i) => notifier.info({}, 'load', { i }), 200)),
          { defaultValue: undefined },
        );
        await within(finished, `all ${total} notifications`, 90_000);
        sub.unsubscribe();
        expect(seen.size).to.equal(total);
        expect([...seen.values()].every((c) => c === 1), 'each processed exactly once').to.equal(true);
        expect(failedBatches).to.be.greaterThan(7);
      });
    }
  });
}
