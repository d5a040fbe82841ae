/**
 * Failover across the two hosts of a transport URL (`amqp://127.0.0.1:A,127.0.0.1:B`):
 * the intermediary on A killed, state$ shows each step (open A, disconnected A,
 * connecting B, open B), and calls and notifications resume through B.
 */
import { expect } from 'chai';
import { lastValueFrom, tap } from 'rxjs';
import { type ConnectionState, Notifier, RpcClient, dispatch, notificationListener, rpcServer } from '../../lib';
import { startEmbeddedIntermediary } from '../../lib/testing';
import { testResources } from '../support/test-resources';
import { requirePeer, startProtonBroker } from '../support/peers';
import { freePort } from '../support/ports';
import { countDeliveries, outcomeOf, reportFigures, tally } from '../support/fault-figures';
import { first, uniqueName, until, within } from '../support/wait';

/** One of the two intermediaries: its port, and how to crash it. */
interface Host {
  readonly port: number;
  readonly url: string;
  kill(): Promise<void>;
}

const kinds: { name: string; setup(ctx: Mocha.Context): Promise<void>; start(): Promise<Host> }[] = [
  {
    name: 'two embedded brokers',
    setup: async () => undefined,
    start: async () => {
      const b = await startEmbeddedIntermediary({ mode: 'broker' });
      return { port: b.port, url: b.url, kill: () => b.stop() };
    },
  },
  {
    name: 'two Qpid Proton C++ brokers',
    setup: (ctx) => requirePeer(ctx, 'proton'),
    start: async () => {
      const b = await startProtonBroker(await freePort());
      return { port: Number(new URL(b.url).port), url: b.url, kill: () => b.kill() };
    },
  },
];

/** How many of `steps` appear in `states` in order (each after the one before). */
function stepsIn(states: readonly ConnectionState[], steps: readonly ((s: ConnectionState) => boolean)[]): number {
  let at = 0;
  let matched = 0;
  for (const step of steps) {
    const found = states.findIndex((s, i) => i >= at && step(s));
    if (found < 0) break;
    at = found + 1;
    matched++;
  }
  return matched;
}

for (const kind of kinds) {
  describe(`faults: failover across ${kind.name}`, function () {
    this.timeout(60_000);
    const res = testResources({ connectionRetryIntervalMs: 1000, connectionRetryIntervalMaxMs: 1000 });
    const hosts: Host[] = [];
    const open = (url: string) => res.open(url);

    before(async function () {
      await kind.setup(this);
    });
    afterEach(async () => {
      await res.release();
      await Promise.all(hosts.splice(0).map((h) => h.kill()));
    });

    it('kills host A: state$ goes open A, disconnected A, connecting B, open B, and traffic resumes on B', async () => {
      const a = await kind.start();
      const b = await kind.start();
      hosts.push(b);
      const topic = uniqueName('failover');
      const ofA = `127.0.0.1:${a.port}`;
      const ofB = `127.0.0.1:${b.port}`;
      // a server on each host, each answering with its host's name
      for (const [h, name] of [[a, 'A'], [b, 'B']] as const) {
        res.keep(
          rpcServer(open(h.url), { topic, server: 's1' })
            .pipe(dispatch([{ where: () => name }]))
            .subscribe(),
        );
      }
      const onB: number[] = [];
      res.keep(
        notificationListener(open(b.url), [{ topic }], { priorities: ['info'] })
          .pipe(tap((n) => n.ack()))
          .subscribe((n) => onB.push((n.payload as { i: number }).i)),
      );
      const client = open(`amqp://${ofA},${ofB}`);
      const states: ConnectionState[] = [];
      res.keep(client.state$.subscribe((s) => states.push(s)));
      const rpc = new RpcClient(client, { topic, server: 's1' }, { timeoutMs: 10_000 });
      expect(await within(lastValueFrom(rpc.call<string>('where')), 'a call through A', 15_000)).to.equal('A');
      const killedAt = Date.now();
      await a.kill();
      await first(client.state$, 'open on B', 20_000, (s) => s.state === 'open' && s.host === ofB);
      const failoverMs = Date.now() - killedAt;
      const calls = await within(Promise.all([...Array(20).keys()].map(() => outcomeOf(rpc.call<string>('where')))), '20 calls after the failover', 20_000);
      const notifier = new Notifier(client, { publisherId: 'faults', topics: [topic] });
      const sent: number[] = [];
      await within(
        Promise.all([...Array(20).keys()].map((i) => outcomeOf(notifier.info({}, 'after.failover', { i })).then((o) => o.ok && sent.push(i)))),
        '20 notifications after the failover',
        20_000,
      );
      await until(() => sent.every((i) => onB.includes(i)), 'the notifications on B', 10_000).catch(() => undefined);
      const steps = [
        (s: ConnectionState) => s.state === 'open' && s.host === ofA,
        (s: ConnectionState) => s.state === 'disconnected' && s.host === ofA,
        (s: ConnectionState) => s.state === 'connecting' && s.host === ofB,
        (s: ConnectionState) => s.state === 'open' && s.host === ofB,
      ];
      const path = states.map((s) => `${s.state}${'host' in s ? ` ${s.host === ofA ? 'A' : 'B'}` : ''}`);
      const t = tally(calls);
      const count = countDeliveries(sent, onB);
      reportFigures(`failover across ${kind.name}`, { states: path.join(' > '), failoverMs, calls: 20, ok: t.ok, failed: t.failed, answeredByB: calls.filter((o) => o.ok && o.value === 'B').length, notifications: count });
      expect(stepsIn(states, steps), `state$ steps seen in order: ${path.join(' > ')}`).to.equal(4);
      expect(t.failed).to.deep.equal({});
      expect(calls.map((o) => o.ok && o.value)).to.deep.equal(Array(20).fill('B'));
      expect(count).to.include({ sent: 20, lost: 0 });
    });
  });
}
