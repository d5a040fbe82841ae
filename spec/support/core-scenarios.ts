/**
 * The reactive core's scenarios, run against every intermediary: the real ones
 * (spec/brokers) and both personalities of the embedded one (spec/embedded).
 */
import { expect } from 'chai';
import { filter, firstValueFrom, map, mergeMap, take, tap, timeout, toArray } from 'rxjs';
import { createTransport, type Transport } from '../../lib/transport';
import type { AmqpOptions } from '../../lib/config';
import type { ConnectionState, IncomingDelivery } from '../../lib/amqp';
import { isMessagingError } from '../../lib/errors';
import { first, uniqueName, within } from './wait';
import { freePort } from './ports';

/** An intermediary that can be stopped and started again on the same port. */
export interface RestartableIntermediary {
  /** Its URL (stable across restarts). */
  readonly url: string;
  /** Stops it; resolves once its port is closed. */
  stop(): Promise<void>;
  /** Starts it again; resolves once its port accepts connections. */
  start(): Promise<void>;
  /** Final clean-up. */
  dispose(): Promise<void>;
}

/** How a suite reaches one intermediary, and what that intermediary does. */
export interface IntermediaryFixture {
  /** Suite title. */
  readonly name: string;
  /** Called in `before`: starts or checks the intermediary (may skip outside CI). */
  setup(ctx: Mocha.Context): Promise<void>;
  /** Called in `after`. */
  teardown?(): Promise<void>;
  /** A URL that authenticates. */
  url(): string;
  /** A URL with a wrong password, where the intermediary checks credentials. */
  badCredentialsUrl?(): string;
  /** An instance the reconnect scenario may stop and start. */
  restartable(): Promise<RestartableIntermediary>;
  /** Keeps messages for a queue with no consumer. */
  readonly storeAndForward: boolean;
  /** Delivers a released message again. */
  readonly redeliversReleased: boolean;
  /** Increments `delivery-count` on a `modified(delivery-failed)` redelivery (RabbitMQ 3.x takes `modified` as `released`). */
  readonly countsFailedDeliveries: boolean;
  /** The sender sees the consumer's own outcome (routers). */
  readonly endToEndOutcomes: boolean;
}

const fast: Partial<AmqpOptions> = {
  connectionRetryIntervalMs: 1000,
  connectionRetryIntervalMaxMs: 2000,
  defaultSendTimeoutMs: 10_000,
};

/** Registers the core scenarios for `fixture`. */
export function coreScenarios(fixture: IntermediaryFixture): void {
  describe(`AMQP core on ${fixture.name}`, function () {
    this.timeout(60_000);
    const transports: Transport[] = [];
    const open = (url = fixture.url(), options: Partial<AmqpOptions> = {}) => {
      const t = createTransport(url, { ...fast, ...options });
      transports.push(t);
      return t;
    };

    before(async function () {
      await fixture.setup(this);
    });
    afterEach(async () => {
      await Promise.all(transports.splice(0).map((t) => t.close()));
    });
    after(async () => {
      await fixture.teardown?.();
    });

    /** Attaches a receiver and resolves once it is attached, with its deliveries. */
    async function listen(t: Transport, address: string, credit = 10) {
      const received: IncomingDelivery[] = [];
      let failure: unknown;
      const waiters: Array<() => void> = [];
      let attached!: () => void;
      const isAttached = new Promise<void>((r) => (attached = r));
      const sub = t
        .receiverLinks({ address, credit })
        .pipe(
          mergeMap((link) => {
            attached();
            return link.deliveries;
          }),
        )
        .subscribe({
          next: (d) => {
            received.push(d);
            waiters.splice(0).forEach((w) => w());
          },
          error: (e: unknown) => {
            failure = e;
            waiters.splice(0).forEach((w) => w());
          },
        });
      await within(isAttached, `receiver on ${address} to attach`);
      const count = async (n: number, what = `${n} deliveries on ${address}`, ms = 10_000) => {
        const until = Date.now() + ms;
        while (received.length < n) {
          if (failure) throw failure;
          if (Date.now() > until) throw new Error(`timed out waiting for ${what} (have ${received.length})`);
          await new Promise<void>((r) => {
            const timer = setTimeout(r, until - Date.now());
            waiters.push(() => {
              clearTimeout(timer);
              r();
            });
          });
        }
        return received.slice(0, n);
      };
      return { received, count, stop: () => sub.unsubscribe() };
    }

    const text = (d: IncomingDelivery) => String(d.message.body);

    it('opens and reports the open state', async () => {
      const t = open();
      await within(t.ready(), 'the connection to open');
      const state = await first(t.state$, 'state open', 5000, (s) => s.state === 'open');
      expect(state).to.include({ state: 'open' });
      expect(['legacy', 'routable']).to.include((state as { addressing: string }).addressing);
    });

    it('sends to a queue and receives the message, accepted', async () => {
      const t = open();
      const q = uniqueName('core-q');
      const rx = await listen(t, q);
      // a router settles the send only once the consumer has, so wait for the outcome last
      const outcome = firstValueFrom(t.send(q, { body: 'hello' }));
      const [d] = await rx.count(1);
      expect(text(d)).to.equal('hello');
      expect(d.message.to).to.equal(q);
      expect(d.accept()).to.equal(true);
      expect(d.accept(), 'a second settle is ignored').to.equal(false);
      expect((await within(outcome, 'the send outcome')).outcome).to.equal('accepted');
      rx.stop();
    });

    it('sends pre-settled and completes once written', async () => {
      const t = open();
      const q = uniqueName('core-presettled');
      const rx = await listen(t, q);
      const outcome = await firstValueFrom(t.send(q, { body: 'fire-and-forget' }, { preSettled: true }));
      expect(outcome.outcome).to.equal('settled');
      const [d] = await rx.count(1);
      expect(text(d)).to.equal('fire-and-forget');
      rx.stop();
    });

    if (fixture.storeAndForward) {
      it('keeps a message sent before any consumer and delivers it on subscribe', async () => {
        const t = open();
        const q = uniqueName('core-stored');
        const outcome = await firstValueFrom(t.send(q, { body: 'stored' }));
        expect(outcome.outcome).to.equal('accepted');
        const rx = await listen(t, q);
        const [d] = await rx.count(1);
        expect(text(d)).to.equal('stored');
        d.accept();
        rx.stop();
      });
    }

    it('release, modify and reject settle the delivery and return its credit', async () => {
      const t = open();
      const q = uniqueName('core-outcomes');
      const rx = await listen(t, q, 1);
      const sends = ['a', 'b', 'c', 'd'].map((body) => firstValueFrom(t.send(q, { body })));
      const [a] = await rx.count(1);
      expect(text(a)).to.equal('a');
      expect(a.release()).to.equal(true);
      const second = (await rx.count(2))[1];
      if (fixture.redeliversReleased) {
        expect(text(second), 'the released message comes back').to.equal('a');
      } else {
        expect(text(second)).to.equal('b');
      }
      second.modify({ deliveryFailed: true });
      const third = (await rx.count(3))[2];
      if (fixture.redeliversReleased) {
        expect(text(third), 'the modified message comes back').to.equal('a');
        if (fixture.countsFailedDeliveries) {
          expect(third.deliveryCount, 'delivery-count counts the failed attempt').to.be.at.least(1);
        }
      }
      third.reject({ condition: 'amqp:decode-error', description: 'test rejection' });
      // The rejected message never returns; what comes next is a message not yet seen.
      const fourth = (await rx.count(4))[3];
      expect(text(fourth)).to.equal(fixture.redeliversReleased ? 'b' : 'd');
      fourth.accept();
      if (fixture.endToEndOutcomes) {
        const outcomes = await within(Promise.all(sends.slice(0, 1)), 'the first send to settle');
        expect(outcomes[0].outcome).to.equal('released');
      } else {
        expect((await within(sends[0], 'send a to settle')).outcome).to.equal('accepted');
      }
      rx.stop();
    });

    it('holds at most `credit` unsettled deliveries, and settling one lets the next in', async () => {
      const t = open();
      const q = uniqueName('core-credit');
      const rx = await listen(t, q, 2);
      const sends = [1, 2, 3, 4].map((n) => t.send(q, { body: `m${n}` }).subscribe());
      const two = await rx.count(2);
      // Barrier: a round trip through the intermediary on another queue. Once it is back,
      // the intermediary has seen all four messages; with credit 2 only two may be here.
      const barrierQueue = uniqueName('core-barrier');
      const barrier = await listen(t, barrierQueue, 1);
      t.send(barrierQueue, { body: 'barrier' }).subscribe();
      (await barrier.count(1))[0].accept();
      expect(rx.received.length, 'no delivery beyond the credit').to.equal(2);
      expect(two.map(text)).to.deep.equal(['m1', 'm2']);
      two[0].accept();
      const third = (await rx.count(3, 'a delivery after settling one'))[2];
      expect(text(third)).to.equal('m3');
      rx.received.forEach((d) => d.accept());
      sends.forEach((s) => s.unsubscribe());
      barrier.stop();
      rx.stop();
    });

    it('reconnects after the intermediary stops and starts again, and the streams resume', async () => {
      const broker = await fixture.restartable();
      try {
        const t = open(broker.url);
        await within(t.ready(), 'first connection');
        const q = uniqueName('core-reconnect');
        const states: ConnectionState[] = [];
        t.state$.subscribe((s) => states.push(s));
        let attachments = 0;
        let received!: Promise<IncomingDelivery>;
        let attached!: () => void;
        const attachedOnce = new Promise<void>((resolve) => (attached = resolve));
        const reattached = new Promise<void>((resolve) => {
          const got = t.receiverLinks({ address: q, credit: 10 }).pipe(
            mergeMap((link) => {
              if (++attachments === 1) attached();
              if (attachments === 2) resolve();
              return link.deliveries;
            }),
            filter((d) => String(d.message.body) === 'after-restart'),
            // settle before take(1) detaches the link (a router reports the consumer's outcome)
            tap((d) => d.accept()),
            take(1),
            timeout(40_000),
          );
          received = firstValueFrom(got);
        });
        await within(attachedOnce, 'the receiver link to attach');
        await broker.stop();
        await first(t.state$, 'state disconnected', 15_000, (s) => s.state === 'disconnected');
        // A broker stores what it gets, so a send made while disconnected just waits for the
        // connection; a router would release a message that arrives before its consumer.
        const early = fixture.storeAndForward
          ? firstValueFrom(t.send(q, { body: 'after-restart' }, { timeoutMs: 30_000 }))
          : undefined;
        await broker.start();
        await first(t.state$, 'state open again', 30_000, (s) => s.state === 'open');
        await within(reattached, 'the receiver link to come back on the new connection', 15_000);
        const outcome = await (early ?? firstValueFrom(t.send(q, { body: 'after-restart' }, { timeoutMs: 20_000 })));
        expect(outcome.outcome).to.equal('accepted');
        const d = await received;
        expect(d.disposition).to.equal('accepted');
        const kinds = states.map((s) => s.state);
        expect(kinds).to.include.members(['open', 'disconnected', 'connecting']);
        expect(kinds.lastIndexOf('open')).to.be.greaterThan(kinds.indexOf('disconnected'));
      } finally {
        await broker.dispose();
      }
    });

    it('errors a send with MessagingTimeout at its deadline when no connection comes', async () => {
      const dead = await freePort();
      const t = open(`amqp://127.0.0.1:${dead}`);
      const started = Date.now();
      const error = await within(
        firstValueFrom(t.send('nowhere', { body: 'x' }, { timeoutMs: 1500 })).catch((e: unknown) => e),
        'the send deadline',
      );
      expect(isMessagingError(error, 'MessagingTimeout'), String(error)).to.equal(true);
      expect(Date.now() - started).to.be.within(1400, 5000);
      const disconnected = await first(t.state$, 'state disconnected', 5000, (s) => s.state === 'disconnected');
      // the latest state: after the first or the second failed attempt (1 s, then 2 s)
      expect((disconnected as { retryInMs: number }).retryInMs).to.be.oneOf([1000, 2000]);
    });

    it('fails over to the second host of the URL when the first is down', async () => {
      const dead = await freePort();
      const url = fixture.url();
      const m = /^(amqps?:\/\/)([^@/]*@)?(.*)$/.exec(url)!;
      const failoverUrl = `${m[1]}${m[2] ?? ''}127.0.0.1:${dead},${m[2] ?? ''}${m[3]}`;
      const t = open(failoverUrl);
      const states: ConnectionState[] = [];
      t.state$.subscribe((s) => states.push(s));
      await within(t.ready(), 'failover to the second host', 15_000);
      const openState = states.find((s) => s.state === 'open') as { host: string };
      expect(openState.host).to.not.equal(`127.0.0.1:${dead}`);
      expect(states.map((s) => s.state).slice(0, 3)).to.deep.equal(['connecting', 'disconnected', 'connecting']);
      expect(String(t.url), 'the URL never shows a password').to.not.match(/:guest@|:secret@/);
    });

    if (fixture.badCredentialsUrl) {
      it('fails with AuthenticationFailed on bad credentials, without retrying forever', async () => {
        const t = open(fixture.badCredentialsUrl!());
        const error = await within(
          t.ready().then(
            () => undefined,
            (e: unknown) => e,
          ),
          'the authentication failure',
          15_000,
        );
        expect(isMessagingError(error, 'AuthenticationFailed'), String(error)).to.equal(true);
        expect(String((error as Error).message)).to.not.include('wrong-password');
        const last = await first(t.state$, 'state closed', 5000, (s) => s.state === 'closed');
        expect(last).to.have.property('error');
        const sendError = await firstValueFrom(
          t.send('anything', { body: 'x' }).pipe(
            map(() => undefined),
            toArray(),
          ),
        ).catch((e: unknown) => e);
        expect(isMessagingError(sendError, 'AuthenticationFailed')).to.equal(true);
      });
    }
  });
}
