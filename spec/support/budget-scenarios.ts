/**
 * Redelivery budget and failure strategy scenarios, run against intermediaries that
 * store and redeliver (a broker).
 */
import { expect } from 'chai';
import { type Subscription, firstValueFrom, lastValueFrom, tap } from 'rxjs';
import {
  type AmqpOptions,
  DELIVERY_LIMIT_CONDITION,
  HANDLER_FAILED_CONDITION,
  type IncomingRequest,
  Notifier,
  RemoteError,
  RpcClient,
  type Transport,
  createTransport,
  dispatch,
  notificationListener,
  rpcServer,
} from '../../lib';
import { DispositionLog } from './disposition-log';
import { first, uniqueName, within } from './wait';

/** How a suite reaches one broker. */
export interface BudgetFixture {
  /** Suite title. */
  readonly name: string;
  /** Starts or checks the broker (may skip outside CI). */
  setup(ctx: Mocha.Context): Promise<void>;
  /** Clean-up. */
  teardown?(): Promise<void>;
  /** The transport URL. */
  url(): string;
  /** Extra transport options. */
  readonly options?: Partial<AmqpOptions>;
  /** True when the broker raises delivery-count on `modified` with delivery-failed (RabbitMQ 3.x never sets it). */
  readonly countsDeliveries: boolean;
}

const boom = () => {
  throw Object.assign(new Error('always fails'), { pythonClass: 'ValueError', pythonModule: 'builtins' });
};

/** Registers the budget scenarios for `fixture`. */
export function budgetScenarios(fixture: BudgetFixture): void {
  describe(`redelivery budget and failure strategy on ${fixture.name}`, function () {
    this.timeout(60_000);
    let transport: Transport;
    let log: DispositionLog;
    let topic: string;
    const subs: Subscription[] = [];

    /** Serves `topic`/s1 with `whoami` and `boom`, recording the delivery-count of each `boom` request. */
    function serve(options: Parameters<typeof rpcServer>[2], dispatchOptions: Parameters<typeof dispatch>[1], seen: number[], endpoint: object = { whoami: () => 's1', boom }) {
      subs.push(
        rpcServer(log.transport, { topic, server: 's1' }, options)
          .pipe(
            tap((r: IncomingRequest) => r.method !== 'whoami' && seen.push(r.delivery.deliveryCount)),
            dispatch([endpoint], dispatchOptions),
          )
          .subscribe(),
      );
      return firstValueFrom(new RpcClient(transport, { topic, server: 's1' }, { timeoutMs: 15_000 }).call('whoami'));
    }

    before(async function () {
      await fixture.setup(this);
    });
    beforeEach(() => {
      transport = createTransport(fixture.url(), { connectionRetryIntervalMaxMs: 2000, ...fixture.options });
      log = new DispositionLog(transport);
      topic = uniqueName('budget');
    });
    afterEach(async () => {
      subs.splice(0).forEach((s) => s.unsubscribe());
      await transport.close();
    });
    after(async () => {
      await fixture.teardown?.();
    });

    if (fixture.countsDeliveries) {
      it('hands a request that is always requeued to the server exactly maxDeliveries times, then rejects it', async () => {
        const seen: number[] = [];
        await serve({ maxDeliveries: 3 }, { failureStrategy: 'requeue' }, seen);
        await lastValueFrom(new RpcClient(transport, { topic }).cast('boom'), { defaultValue: undefined });
        const rejected = await first(log.settled$, 'the request to be rejected', 20_000, (s) => s.disposition === 'rejected');
        expect(seen).to.deep.equal([0, 1, 2]);
        expect(rejected.condition).to.equal(DELIVERY_LIMIT_CONDITION);
        expect(rejected.description).to.match(/delivered 3 times, the limit is maxDeliveries=3/);
        const modified = log.all.filter((s) => s.disposition === 'modified');
        expect(modified.map((s) => s.modified?.deliveryFailed)).to.deep.equal([true, true, true]);
      });

      it('hands a notification that is always requeued to the listener exactly maxDeliveries times, then rejects it', async () => {
        const seen: number[] = [];
        subs.push(
          notificationListener(log.transport, [{ topic }], { maxDeliveries: 2, priorities: ['info'] }).subscribe((n) => {
            seen.push(n.delivery.deliveryCount);
            n.requeue();
          }),
        );
        await within(lastValueFrom(new Notifier(transport, { publisherId: 'p', topics: [topic] }).info({}, 'e.x', { n: 1 }), { defaultValue: undefined }), 'the notification to be sent', 20_000);
        const rejected = await first(log.settled$, 'the notification to be rejected', 20_000, (s) => s.disposition === 'rejected');
        expect(seen).to.deep.equal([0, 1]);
        expect(rejected.condition).to.equal(DELIVERY_LIMIT_CONDITION);
      });

      it("failureStrategy 'modified-failed' gives the request back with its delivery-count raised", async () => {
        const seen: number[] = [];
        let calls = 0;
        const flaky = { whoami: () => 's1', flaky: () => (++calls === 1 ? boom() : 'second time lucky') };
        await serve({}, { failureStrategy: (e) => (e instanceof Error ? 'modified-failed' : 'accept') }, seen, flaky);
        const result = await firstValueFrom(new RpcClient(transport, { topic }, { timeoutMs: 15_000 }).call('flaky'));
        expect(result).to.equal('second time lucky');
        expect(seen).to.deep.equal([0, 1]);
      });
    } else {
      it('cannot count redeliveries: delivery-count stays 0, so a requeued request comes back past maxDeliveries', async () => {
        const seen: number[] = [];
        let n = 0;
        const endpoint = { whoami: () => 's1', boom: () => (++n < 4 ? boom() : 'taken at last') };
        await serve({ maxDeliveries: 2 }, { failureStrategy: (e) => (e instanceof Error ? 'requeue' : 'accept') }, seen, endpoint);
        await lastValueFrom(new RpcClient(transport, { topic }).cast('boom'), { defaultValue: undefined });
        const accepted = () => log.all.filter((s) => s.disposition === 'accepted').length;
        await first(log.settled$, 'the cast to be accepted (after whoami)', 20_000, () => accepted() >= 2);
        expect(seen).to.deep.equal([0, 0, 0, 0]);
        expect(log.all.filter((s) => s.disposition === 'rejected')).to.have.length(0);
      });
    }

    it("failureStrategy 'reject' answers the caller with the failure and rejects the request", async () => {
      const seen: number[] = [];
      await serve({ maxDeliveries: 5 }, { failureStrategy: 'reject' }, seen);
      const error = await firstValueFrom(new RpcClient(transport, { topic }, { timeoutMs: 15_000 }).call('boom')).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(RemoteError);
      expect((error as RemoteError).className).to.equal('ValueError');
      const rejected = await first(log.settled$, 'the request to be rejected', 10_000, (s) => s.disposition === 'rejected');
      expect(rejected.condition).to.equal(HANDLER_FAILED_CONDITION);
      expect(rejected.description).to.match(/always fails/);
      expect(seen).to.deep.equal([0]);
    });

    it('by default answers the caller with the failure and accepts the request', async () => {
      const seen: number[] = [];
      await serve({}, {}, seen);
      const error = await firstValueFrom(new RpcClient(transport, { topic }, { timeoutMs: 15_000 }).call('boom')).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(RemoteError);
      await first(log.settled$, 'whoami and boom to be settled', 10_000, () => log.all.length >= 2);
      expect(log.all.map((s) => s.disposition)).to.deep.equal(['accepted', 'accepted']);
    });
  });
}
