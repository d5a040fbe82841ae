import { expect } from 'chai';
import type { Subscription } from 'rxjs';
import { DispositionGate } from '../../../lib/amqp/disposition-gate';
import type { IncomingDelivery } from '../../../lib/amqp/incoming-delivery';
import { openReceiver } from '../../../lib/amqp/receiver-link';
import { type EmbeddedIntermediary, startEmbeddedIntermediary } from '../../../lib/embedded';
import { Clients, Inbox, type SeenOutcome, outcomeOf, sendable } from '../../embedded/intermediary-support';
import { uniqueName, within } from '../../support/wait';

/** Resolves after the gate's pending tick (a setImmediate queued before this one) has run. */
const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A gate and the writes it has let through, grouped by the tick they ran in. */
function gated() {
  const gate = new DispositionGate();
  const ticks: string[][] = [[]];
  return {
    submit: (kind: string, id: string) => gate.submit(kind, () => ticks[ticks.length - 1].push(`${kind}:${id}`)),
    /** Lets one tick pass; the writes it makes go in a new group. */
    async tick() {
      ticks.push([]);
      await nextTick();
    },
    ticks,
  };
}

describe('DispositionGate (one kind of outcome per tick)', () => {
  it('writes outcomes of one kind at once, in order', () => {
    const g = gated();
    for (const id of ['a', 'b', 'c']) g.submit('accepted', id);
    expect(g.ticks).to.deep.equal([['accepted:a', 'accepted:b', 'accepted:c']]);
  });

  it('defers another kind to the next tick, so rhea never merges released and rejected into one range', async () => {
    const g = gated();
    g.submit('released', 'a');
    g.submit('rejected', 'b');
    expect(g.ticks).to.deep.equal([['released:a']]);
    await g.tick();
    expect(g.ticks).to.deep.equal([['released:a'], ['rejected:b']]);
    await g.tick();
    expect(g.ticks[2], 'nothing is left').to.deep.equal([]);
  });

  it('keeps the order of submission: a kind seen earlier in the tick waits behind a deferred one', async () => {
    const g = gated();
    g.submit('accepted', 'a');
    g.submit('rejected', 'b');
    g.submit('accepted', 'c');
    expect(g.ticks).to.deep.equal([['accepted:a']]);
    await g.tick();
    await g.tick();
    expect(g.ticks).to.deep.equal([['accepted:a'], ['rejected:b'], ['accepted:c']]);
  });

  it('writes each run of one kind in a tick of its own (accepted ×2, modified, released ×2, accepted)', async () => {
    const g = gated();
    const plan: Array<[string, string]> = [
      ['accepted', '1'],
      ['accepted', '2'],
      ['modified', '3'],
      ['released', '4'],
      ['released', '5'],
      ['accepted', '6'],
    ];
    plan.forEach(([kind, id]) => g.submit(kind, id));
    for (let i = 0; i < 4; i++) await g.tick();
    expect(g.ticks.filter((t) => t.length > 0)).to.deep.equal([
      ['accepted:1', 'accepted:2'],
      ['modified:3'],
      ['released:4', 'released:5'],
      ['accepted:6'],
    ]);
    expect(g.ticks.flat(), 'every outcome exactly once, in submission order').to.deep.equal(plan.map(([k, id]) => `${k}:${id}`));
  });

  it('lets a submission join the kind of a tick that began with deferred writes', async () => {
    const g = gated();
    g.submit('accepted', 'a');
    g.submit('rejected', 'b');
    await g.tick();
    // this tick is rejected's (b was written in it); another rejection joins it, an acceptance waits
    g.submit('rejected', 'c');
    g.submit('accepted', 'd');
    expect(g.ticks).to.deep.equal([['accepted:a'], ['rejected:b', 'rejected:c']]);
    await g.tick();
    expect(g.ticks[2]).to.deep.equal(['accepted:d']);
  });

  it('writes any kind at once once a tick has passed with nothing deferred', async () => {
    const g = gated();
    g.submit('accepted', 'a');
    await g.tick();
    g.submit('rejected', 'b');
    expect(g.ticks).to.deep.equal([['accepted:a'], ['rejected:b']]);
    await g.tick();
    g.submit('released', 'c');
    expect(g.ticks[2]).to.deep.equal(['released:c']);
  });

  it('keeps its gates apart: one per link', () => {
    const one = gated();
    const two = gated();
    one.submit('accepted', 'a');
    two.submit('rejected', 'b');
    expect([one.ticks, two.ticks]).to.deep.equal([[['accepted:a']], [['rejected:b']]]);
  });
});

describe('DispositionGate on a real rhea link (through the embedded router, which hands each outcome back to the sender)', function () {
  this.timeout(15_000);
  let router: EmbeddedIntermediary;
  const clients = new Clients();
  const subs: Subscription[] = [];
  beforeEach(async () => {
    router = await startEmbeddedIntermediary({ mode: 'router', holdMs: 5000 });
  });
  afterEach(async () => {
    subs.splice(0).forEach((s) => s.unsubscribe());
    await clients.closeAll();
    await router.stop();
  });

  /** Sends four messages to `address`; `outcomes` resolves with the sender's outcomes once all are settled. */
  async function sendFour(address: string): Promise<{ outcomes: Promise<SeenOutcome[]> }> {
    const sender = await (await clients.connect(router)).createSender({ target: { address } });
    await sendable(sender);
    const deliveries = [1, 2, 3, 4].map((n) => sender.send({ body: `m${n}` }));
    return { outcomes: Promise.all(deliveries.map((d) => outcomeOf(sender, d))) };
  }

  it('control: rhea alone sends released and rejected made in one tick as one range of released (the bug the gate works around)', async () => {
    const address = uniqueName('unicast.openstack.gate-control');
    const c = await clients.connect(router);
    const receiver = await c.createReceiver({ source: { address }, credit_window: 0, autoaccept: false });
    const inbox = new Inbox(receiver);
    receiver.addCredit(4);
    const { outcomes } = await sendFour(address);
    const [a, b2] = await inbox.count(4, 'four messages');
    a.delivery!.release();
    b2.delivery!.reject({ condition: 'amqp:decode-error', description: 'bad' });
    (await inbox.count(4, 'four messages')).slice(2).forEach((x) => x.delivery!.accept());
    const seen = await outcomes;
    // if this fails, rhea writes mixed ranges correctly now and the gate may go
    expect(seen.slice(0, 2).map((o) => o.type)).to.deep.equal(['released', 'released']);
  });

  it("oslo-rx's receiver (through the gate) delivers four different outcomes made in one tick each as made", async () => {
    const address = uniqueName('unicast.openstack.gate');
    const connection = await clients.connect(router);
    const got: IncomingDelivery[] = [];
    const arrived = new Promise<void>((resolve) => {
      const sub = openReceiver(connection, { address, credit: 4 }).subscribe((link) =>
        link.deliveries.subscribe((d) => {
          got.push(d);
          if (got.length === 4) resolve();
        }),
      );
      subs.push(sub);
    });
    const { outcomes } = await sendFour(address);
    await within(arrived, 'four deliveries');
    const [a, b2, c, d] = got;
    a.release();
    b2.reject({ condition: 'amqp:decode-error', description: 'bad' });
    c.accept();
    d.modify({ deliveryFailed: true, undeliverableHere: true });
    const seen = await outcomes;
    expect(seen.map((o) => o.type)).to.deep.equal(['released', 'rejected', 'accepted', 'modified']);
    expect(seen[1].condition).to.equal('amqp:decode-error');
    expect(seen[3].deliveryFailed).to.equal(true);
  });

});
