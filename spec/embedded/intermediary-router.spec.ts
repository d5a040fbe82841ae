import { expect } from 'chai';
import { type EmbeddedIntermediary, startEmbeddedIntermediary } from '../../lib/embedded';
import { uniqueName } from '../support/wait';
import { Clients, Inbox, type SeenOutcome, outcomeOf, send, sendable, until } from './intermediary-support';

describe('embedded intermediary: router personality', function () {
  this.timeout(15_000);
  const HOLD_MS = 300;
  let b: EmbeddedIntermediary;
  const clients = new Clients();

  beforeEach(async () => {
    b = await startEmbeddedIntermediary({ mode: 'router', holdMs: HOLD_MS });
  });
  afterEach(async () => {
    await clients.closeAll();
    await b.stop();
  });

  async function manualReceiver(address: string, credit: number) {
    const c = await clients.connect(b);
    const receiver = await c.createReceiver({ source: { address }, credit_window: 0, autoaccept: false });
    const inbox = new Inbox(receiver);
    receiver.addCredit(credit);
    return { c, receiver, inbox };
  }

  async function sender(address: string, presettled = false) {
    const c = await clients.connect(b);
    return c.createSender({ target: { address }, ...(presettled ? { snd_settle_mode: 1 as const } : {}) });
  }

  it('stores nothing: a message with no consumer is released to its sender after the hold time', async () => {
    const s = await sender(uniqueName('openstack.org/om/rpc/anycast/openstack/none'));
    const started = Date.now();
    expect(await send(s, { body: 'nobody' })).to.include({ type: 'released' });
    expect(Date.now() - started).to.be.at.least(HOLD_MS - 50);
    expect(b.stats()).to.include({ released: 1, queued: 0, delivered: 0 });
  });

  it('drops a pre-settled message with no consumer after the hold time', async () => {
    const s = await sender(uniqueName('openstack.org/om/rpc/anycast/openstack/none'), true);
    await sendable(s);
    s.send({ body: 'nobody' });
    await until(() => b.stats().dropped === 1, 'the message to be dropped');
    expect(b.stats().queued).to.equal(0);
  });

  it('releases a multicast message that finds no consumer', async () => {
    const s = await sender(`openstack.org/om/rpc/multicast/openstack/${uniqueName('t')}`);
    expect(await send(s, { body: 'nobody' })).to.include({ type: 'released' });
  });

  it('holds a message until a consumer attaches within the hold time, and settles it end to end', async () => {
    await b.stop();
    b = await startEmbeddedIntermediary({ mode: 'router', holdMs: 5000 });
    const address = uniqueName('openstack.org/om/rpc/anycast/openstack/late');
    const s = await sender(address);
    await sendable(s);
    let outcome: SeenOutcome | undefined;
    const settled = outcomeOf(s, s.send({ body: 'waiting' }), 5000).then((o) => (outcome = o));
    await until(() => b.stats().queued === 1, 'the message to be held');
    const { inbox } = await manualReceiver(address, 1);
    const [got] = await inbox.count(1, 'the held message');
    expect(got.message?.body).to.equal('waiting');
    expect(outcome, 'no outcome before the consumer settles').to.equal(undefined);
    got.delivery!.accept();
    await settled;
    expect(outcome).to.include({ type: 'accepted' });
  });

  it("gives the sender the consumer's own outcome: rejected with its error, released, modified", async () => {
    const address = uniqueName('openstack.org/om/rpc/anycast/openstack/e2e');
    const { inbox } = await manualReceiver(address, 3);
    const s = await sender(address);
    const rejected = send(s, { body: 'reject me' });
    (await inbox.count(1, 'the first message'))[0].delivery!.reject({ condition: 'test:refused', description: 'not today' });
    expect(await rejected).to.deep.include({ type: 'rejected', condition: 'test:refused', description: 'not today' });
    const released = send(s, { body: 'release me' });
    (await inbox.count(2, 'the second message'))[1].delivery!.release();
    expect(await released).to.include({ type: 'released' });
    const modified = send(s, { body: 'modify me' });
    (await inbox.count(3, 'the third message'))[2].delivery!.modified({ delivery_failed: true, undeliverable_here: true });
    expect(await modified).to.include({ type: 'modified', deliveryFailed: true });
  });

  it('answers modified(delivery-failed) when the consumer goes away before settling', async () => {
    const address = uniqueName('openstack.org/om/rpc/anycast/openstack/gone');
    const { receiver, inbox } = await manualReceiver(address, 1);
    const s = await sender(address);
    const outcome = send(s, { body: 'in flight' });
    await inbox.count(1, 'the message');
    await receiver.close();
    expect(await outcome).to.include({ type: 'modified', deliveryFailed: true });
  });

  it('accepts a multicast message once it is forwarded, whatever the consumers do', async () => {
    const address = `openstack.org/om/rpc/multicast/openstack/${uniqueName('t')}`;
    const a = await manualReceiver(address, 1);
    const other = await manualReceiver(address, 1);
    const s = await sender(address);
    expect(await send(s, { body: 'to all' })).to.include({ type: 'accepted' });
    await a.inbox.count(1, 'the first copy');
    const [copy] = await other.inbox.count(1, 'the second copy');
    expect(copy.delivery!.remote_settled, 'copies are sent pre-settled').to.equal(true);
  });

  it('limits a sender to its credit window of unsettled messages', async () => {
    await b.stop();
    b = await startEmbeddedIntermediary({ mode: 'router', holdMs: 5000, creditWindow: 3 });
    const address = uniqueName('openstack.org/om/rpc/anycast/openstack/window');
    const { receiver, inbox } = await manualReceiver(address, 10);
    const c = await clients.connect(b);
    const s = await c.createSender({ target: { address } });
    await sendable(s);
    for (let i = 0; i < 6; i++) s.send({ body: `m${i}` });
    await inbox.count(3, 'three messages');
    await c.createReceiver({ source: { address: uniqueName('other') } }); // a round trip on the sender's connection
    expect(b.stats()).to.include({ delivered: 3, queued: 0 });
    for (const ctx of inbox.received) ctx.delivery!.accept();
    await inbox.count(6, 'the other three once the first were settled');
    expect(inbox.bodies).to.deep.equal(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    await receiver.close();
  });
});
