/**
 * The intermediary SIGKILLed and restarted mid-stream of 5,000 notifications and 1,000
 * calls, on RabbitMQ 3.10 and on the Qpid Proton C++ broker. No call hangs: each returns
 * or errors within its timeout (counted by outcome); calls after the restart succeed. With
 * `durable: true`, RabbitMQ loses nothing the Notifier reported sent. The Proton broker
 * stores in memory: what it held at the kill is gone (the figures say how much); what it
 * accepted after its restart all arrives.
 *
 * RabbitMQ 3.10 declares a plain-named queue when a link first attaches to it, durable only
 * when that link's terminus asks for it (`durable` 1 or 2); a non-durable queue dies with the
 * node, durable messages and all (measured here with rhea: terminus durable 0 gives a
 * non-durable queue, 2 a durable one); so the RabbitMQ run sets `durableNotificationQueues`.
 */
import { expect } from 'chai';
import { from, lastValueFrom, mergeMap, range, tap } from 'rxjs';
import {
  type AmqpOptions,
  Notifier,
  RpcClient,
  addressingPresets,
  dispatch,
  notificationListener,
  rpcServer,
} from '../../lib';
import { testResources } from '../support/test-resources';
import { killRabbitmq, peerUrl, requirePeer, startKeptRabbitmq, startProtonBroker, type ProtonBrokerProcess } from '../support/peers';
import { freePort } from '../support/ports';
import { type Outcome, countDeliveries, outcomeOf, reportFigures, tally } from '../support/fault-figures';
import { first, uniqueName, until, within } from '../support/wait';

const NOTIFICATIONS = 5000;
const CALLS = 1000;
const CALL_TIMEOUT_MS = 10_000;
/** How late past its timeout a call may end and still count as not hanging (a loaded machine). */
const SLACK_MS = 3000;

/** An intermediary the test may crash and restart on the same address. */
interface CrashFixture {
  readonly name: string;
  /** Checks or starts it; returns its URL. */
  setup(ctx: Mocha.Context): Promise<string>;
  options: Partial<AmqpOptions>;
  /** SIGKILL; resolves once it is gone. */
  crash(): Promise<void>;
  /** Starts it again on the same address; resolves once it serves. */
  restart(): Promise<void>;
  teardown(): Promise<void>;
  /** Keeps durable messages across a crash (asserted: none lost). */
  readonly persists: boolean;
}

let proton: ProtonBrokerProcess | undefined;
let protonPort = 0;

const fixtures: CrashFixture[] = [
  {
    name: 'RabbitMQ 3.10',
    setup: async (ctx) => {
      await requirePeer(ctx, 'rabbitmq');
      return peerUrl('rabbitmq');
    },
    // durable queues for the notifications, so that durable messages survive the node
    options: { ...addressingPresets.rabbitmq3, durableNotificationQueues: true },
    crash: killRabbitmq,
    restart: startKeptRabbitmq,
    teardown: startKeptRabbitmq,
    persists: true,
  },
  {
    name: 'the Qpid Proton C++ broker',
    setup: async (ctx) => {
      await requirePeer(ctx, 'proton');
      protonPort = await freePort();
      proton = await startProtonBroker(protonPort);
      return proton.url;
    },
    options: {},
    crash: async () => proton!.kill(),
    restart: async () => {
      proton = await startProtonBroker(protonPort);
    },
    teardown: async () => proton?.stop(),
    persists: false,
  },
];

for (const fixture of fixtures) {
  describe(`faults: ${fixture.name} SIGKILLed and restarted mid-stream`, function () {
    this.timeout(150_000);
    let url: string;
    const res = testResources({ ...fixture.options, connectionRetryIntervalMs: 1000, connectionRetryIntervalMaxMs: 1000, defaultNotifyTimeoutMs: 60_000 });
    const open = () => res.open(url);

    before(async function () {
      url = await fixture.setup(this);
    });
    after(async () => {
      await res.release();
      await fixture.teardown();
    });

    it(`${NOTIFICATIONS} durable notifications and ${CALLS} calls: no call hangs, calls after the restart succeed, ${fixture.persists ? 'no notification reported sent is lost' : 'what the broker accepted after its restart arrives'}`, async () => {
      const topic = uniqueName('crash');
      const server = open();
      const client = open();
      res.keep(
        rpcServer(server, { topic, server: 's1' })
          .pipe(dispatch([{ echo: (_c: unknown, { i }: { i: number }) => i }]))
          .subscribe(),
      );
      const rpc = new RpcClient(client, { topic, server: 's1' }, { timeoutMs: CALL_TIMEOUT_MS });
      const notifier = new Notifier(client, { publisherId: 'faults', topics: [topic], durable: true });
      expect(await within(lastValueFrom(rpc.call<number>('echo', { i: -1 })), 'a first call', 20_000)).to.equal(-1);
      await within(lastValueFrom(notifier.info({}, 'warm.up', { i: -1 }), { defaultValue: undefined }), 'a first notification', 20_000);

      let crashed: Promise<number> | undefined;
      let restartedAt = Infinity;
      const atCrash = { notificationsSent: 0, callsDone: 0 };
      const crashOnce = () => {
        crashed ??= (async () => {
          atCrash.notificationsSent = sent.size;
          atCrash.callsDone = calls.length;
          const t0 = Date.now();
          await fixture.crash();
          await fixture.restart();
          restartedAt = Date.now();
          return restartedAt - t0;
        })();
      };
      const sent = new Map<number, number>(); // id -> when the Notifier reported it sent
      const notifyFailures: Outcome<void>[] = [];
      const calls: Outcome<number>[] = [];
      const started = Date.now();
      const notifying = lastValueFrom(
        range(0, NOTIFICATIONS).pipe(
          mergeMap(
            (i) =>
              from(outcomeOf(notifier.info({}, 'mid.stream', { i }))).pipe(
                tap((o) => {
                  if (o.ok) sent.set(i, Date.now());
                  else notifyFailures.push(o);
                  if (sent.size >= NOTIFICATIONS * 0.3) crashOnce();
                }),
              ),
            20,
          ),
        ),
        { defaultValue: undefined },
      );
      const calling = lastValueFrom(
        range(0, CALLS).pipe(
          mergeMap(
            (i) =>
              from(outcomeOf(rpc.call<number>('echo', { i }))).pipe(
                tap((o) => {
                  calls.push(o);
                  if (calls.length >= CALLS * 0.3) crashOnce();
                }),
              ),
            10,
          ),
        ),
        { defaultValue: undefined },
      );
      await within(Promise.all([notifying, calling]), 'every notification and call to end', 120_000);
      const outageMs = await crashed!;
      const streamMs = Date.now() - started;

      // calls after the restart succeed
      const after = await within(Promise.all([...Array(10).keys()].map((i) => outcomeOf(rpc.call<number>('echo', { i })))), 'calls after the restart', 30_000);

      // drain what the broker holds for the topic
      const received: number[] = [];
      const listener = open();
      res.keep(
        notificationListener(listener, [{ topic }], { priorities: ['info'] })
          .pipe(tap((n) => n.ack()))
          .subscribe((n) => received.push((n.payload as { i: number }).i)),
      );
      const mustArrive = [...sent].filter(([, at]) => fixture.persists || at > restartedAt).map(([i]) => i);
      await until(() => { const got = new Set(received); return mustArrive.every((i) => got.has(i)); }, 'the notifications that must survive to arrive', 30_000).catch(() => undefined);
      await first(listener.state$, 'the listener connected', 5000, (s) => s.state === 'open');
      const all = countDeliveries(sent.keys(), received.filter((i) => i >= 0));
      const must = new Set(mustArrive);
      const survivors = countDeliveries(mustArrive, received.filter((i) => must.has(i)));
      const t = tally(calls);
      reportFigures(`${fixture.name} crash: calls`, { calls: CALLS, ok: t.ok, failed: t.failed, slowestMs: t.maxMs, callsDoneAtCrash: atCrash.callsDone, outageMs, afterRestart: tally(after), streamMs });
      reportFigures(`${fixture.name} crash: notifications`, {
        attempted: NOTIFICATIONS,
        reportedSent: sent.size,
        sentAtCrash: atCrash.notificationsSent,
        failedSends: tally(notifyFailures).failed,
        received: all.received,
        lost: all.lost,
        duplicates: all.duplicates,
        mustArrive: mustArrive.length,
        lostOfThose: survivors.lost,
      });
      expect(atCrash.callsDone, 'calls done when the broker was killed').to.be.below(CALLS);
      expect(atCrash.notificationsSent, 'notifications sent when the broker was killed').to.be.below(NOTIFICATIONS);
      expect(calls).to.have.length(CALLS);
      for (const o of calls) expect(o.ms, 'every call ends within its timeout').to.be.below(CALL_TIMEOUT_MS + SLACK_MS);
      expect(Object.keys(t.failed), 'how calls failed').to.satisfy((codes: string[]) => codes.every((c) => ['MessagingTimeout', 'ConnectionLost'].includes(c)));
      expect(tally(after).failed, 'calls after the restart, failures by error').to.deep.equal({});
      if (fixture.persists) expect(all.lost, `durable notifications reported sent and lost (first ids ${all.lostIds.join(',')})`).to.equal(0);
      else expect(survivors.lost, `notifications accepted after the restart and lost (first ids ${survivors.lostIds.join(',')})`).to.equal(0);
    });
  });
}
