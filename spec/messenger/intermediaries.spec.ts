/**
 * The messenger through intermediaries: the embedded broker and router, the Qpid Proton
 * C++ broker and RabbitMQ 3.10 (both shared peers of scripts/peers.sh).
 */
import { expect } from 'chai';
import { firstValueFrom, lastValueFrom, merge, take, tap, toArray } from 'rxjs';
import { type IncomingDelivery, type Messenger, createMessenger } from '../../lib';
import { startEmbeddedIntermediary } from '../../lib/testing';
import { type Intermediary, embeddedIntermediary, sharedIntermediary } from '../interop/intermediaries';
import { freePort } from '../support/ports';
import { uniqueName, within } from '../support/wait';
import { until } from '../embedded/intermediary-support';
import { DeliveryLog } from './messenger-support';

/** `redelivers`: whether a released message comes back (the Proton example broker drops it). */
const INTERMEDIARIES: ReadonlyArray<Intermediary<{ readonly redelivers: boolean }>> = [
  { ...embeddedIntermediary('broker'), redelivers: true },
  { ...embeddedIntermediary('router'), redelivers: false },
  { ...sharedIntermediary('proton', 'the Qpid Proton C++ broker'), redelivers: false },
  { ...sharedIntermediary('rabbitmq', 'RabbitMQ 3.10'), redelivers: true },
];

for (const intermediary of INTERMEDIARIES) {
  describe(`messenger through ${intermediary.name}`, function () {
    this.timeout(30_000);
    let m: Messenger;
    const at = (node: string) => `${intermediary.url().replace(/\/$/, '')}/${node}`;
    const subscribeTo = (node: string, log: DeliveryLog, handle: (d: IncomingDelivery) => void, credit?: number) =>
      m.subscribe(at(node), { credit }).subscribe({ next: log.record(handle), error: (e: unknown) => (log.error = e) });

    before(async function () {
      await intermediary.setup(this);
    });
    after(() => intermediary.teardown());
    beforeEach(() => {
      m = createMessenger();
    });
    afterEach(() => within(m.close(), 'the messenger to close', 15_000));

    it('sends to a node and gets accepted; a subscriber of the node gets the message with its node in `to`', async () => {
      const node = uniqueName('messenger');
      const log = new DeliveryLog();
      subscribeTo(node, log, (d) => d.accept());
      // a router accepts only once a consumer took it; a broker once it stored it
      const outcome = await firstValueFrom(m.send({ address: at(node), body: 'hello', subject: 's', application_properties: { k: 'v' } }));
      expect(outcome).to.deep.equal({ outcome: 'accepted' });
      const [d] = await log.count(1, 'the message');
      expect(d.message).to.include({ body: 'hello', subject: 's', to: node });
      expect(d.message.application_properties).to.deep.equal({ k: 'v' });
      expect(m.hosts()).to.have.length(1);
    });

    it('shares one transport per host across nodes, sends and subscriptions', async () => {
      const nodes = [uniqueName('one'), uniqueName('two'), uniqueName('three')];
      const logs = nodes.map(() => new DeliveryLog());
      nodes.forEach((n, i) => subscribeTo(n, logs[i], (d) => d.accept()));
      const outcomes = await lastValueFrom(merge(...nodes.map((n) => m.send({ address: at(n), body: n }))).pipe(toArray()));
      expect(outcomes.map((o) => o.outcome)).to.deep.equal(['accepted', 'accepted', 'accepted']);
      for (const [i, log] of logs.entries()) expect((await log.count(1, `the message to ${nodes[i]}`))[0].message.body).to.equal(nodes[i]);
      expect(m.hosts()).to.have.length(1);
    });

    it('sends pre-settled: the tracker emits settled and the message arrives', async () => {
      const node = uniqueName('presettled');
      const log = new DeliveryLog();
      subscribeTo(node, log, (d) => d.accept());
      // on a router a pre-settled message with no consumer yet is dropped: wait for the link first
      await firstValueFrom(m.send({ address: at(node), body: 'probe' }));
      expect(await firstValueFrom(m.send({ address: at(node), body: 'fire and forget' }, { preSettled: true }))).to.deep.equal({ outcome: 'settled' });
      expect((await log.count(2, 'both messages')).map((d) => d.message.body)).to.deep.equal(['probe', 'fire and forget']);
    });

    it('holds at most `credit` unsettled deliveries: with credit 1 the next arrives only after the previous is settled', async () => {
      const node = uniqueName('credit');
      const events: string[] = [];
      const log = new DeliveryLog();
      subscribeTo(
        node,
        log,
        (d) => {
          events.push(`got ${String(d.message.body)}`);
          // settle a little later: a second delivery inside this gap would break the credit bound
          setTimeout(() => {
            events.push(`settled ${String(d.message.body)}`);
            d.accept();
          }, 150);
        },
        1,
      );
      await lastValueFrom(merge(...[1, 2, 3].map((n) => m.send({ address: at(node), body: n }))).pipe(toArray()));
      await log.count(3, 'three messages');
      await until(() => events.length === 6, 'the last settlement');
      expect(events).to.deep.equal(['got 1', 'settled 1', 'got 2', 'settled 2', 'got 3', 'settled 3']);
    });

    if (intermediary.redelivers) {
      it('gets a released delivery back', async () => {
        const node = uniqueName('release');
        const log = new DeliveryLog();
        let first = true;
        subscribeTo(node, log, (d) => {
          if (first) d.release();
          else d.accept();
          first = false;
        });
        await firstValueFrom(m.send({ address: at(node), body: 'again' }));
        expect((await log.count(2, 'the message twice')).map((d) => d.message.body)).to.deep.equal(['again', 'again']);
      });
    }
  });
}

describe('messenger: reconnecting to an intermediary that restarts', function () {
  this.timeout(30_000);

  it('sends again once the embedded broker is back on its port', async () => {
    const port = await freePort();
    const m = createMessenger({ amqp: { connectionRetryIntervalMs: 1000, connectionRetryBackoff: 0 } });
    let broker = await startEmbeddedIntermediary({ port });
    try {
      const address = `${broker.url}/${uniqueName('restart')}`;
      expect(await firstValueFrom(m.send({ address, body: 'before' }))).to.deep.equal({ outcome: 'accepted' });
      await broker.stop();
      broker = await startEmbeddedIntermediary({ port });
      expect(await firstValueFrom(m.send({ address, body: 'after' }, { timeoutMs: 10_000 }))).to.deep.equal({ outcome: 'accepted' });
      const bodies = await lastValueFrom(m.subscribe(address).pipe(take(1), tap((d) => d.accept()), toArray()));
      // the broker's store went with it: only the message sent after the restart is there
      expect(bodies.map((d) => d.message.body)).to.deep.equal(['after']);
      expect(m.hosts()).to.have.length(1);
    } finally {
      await m.close();
      await broker.stop();
    }
  });
});
