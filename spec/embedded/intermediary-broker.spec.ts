import { expect } from 'chai';
import type { EventContext } from 'rhea-promise';
import { type EmbeddedIntermediary, type EmbeddedIntermediaryOptions, startEmbeddedIntermediary } from '../../lib/embedded';
import { uniqueName } from '../support/wait';
import { Clients, Inbox, dynamicSource, rejection, send, sendable, until } from './intermediary-support';

describe('embedded intermediary: broker personality', function () {
  this.timeout(15_000);
  let b: EmbeddedIntermediary;
  const clients = new Clients();
  const start = async (options: EmbeddedIntermediaryOptions = {}) => {
    b = await startEmbeddedIntermediary({ mode: 'broker', ...options });
  };

  beforeEach(() => start());
  afterEach(async () => {
    await clients.closeAll();
    await b.stop();
  });

  /** A receiver on `address` that settles nothing by itself, with `credit`. */
  async function manualReceiver(address: string, credit: number) {
    const c = await clients.connect(b);
    const receiver = await c.createReceiver({ source: { address }, credit_window: 0, autoaccept: false });
    const inbox = new Inbox(receiver);
    receiver.addCredit(credit);
    return { c, receiver, inbox };
  }

  const deliveryCount = (ctx: EventContext) => ctx.message?.delivery_count ?? 0;

  it('stores messages sent before any consumer and forwards them in order when one attaches', async () => {
    const address = uniqueName('unicast.openstack.saf');
    const producer = await clients.connect(b);
    const sender = await producer.createSender({ target: { address } });
    for (const body of ['a', 'b', 'c']) expect(await send(sender, { body })).to.include({ type: 'accepted' });
    expect(b.stats()).to.include({ queued: 3, stored: 3, delivered: 0 });
    const consumer = await clients.connect(b);
    const inbox = new Inbox(await consumer.createReceiver({ source: { address } }));
    await inbox.count(3, 'the stored messages');
    expect(inbox.bodies).to.deep.equal(['a', 'b', 'c']);
    await until(() => b.stats().queued === 0, 'the queue to empty');
  });

  it('stores pre-settled messages too', async () => {
    const address = uniqueName('unicast.openstack.presettled');
    const producer = await clients.connect(b);
    const sender = await producer.createSender({ target: { address }, snd_settle_mode: 1 });
    await sendable(sender);
    sender.send({ body: 'fire and forget' });
    await until(() => b.stats().queued === 1, 'the message to be stored');
    const inbox = new Inbox(await producer.createReceiver({ source: { address } }));
    expect((await inbox.count(1, 'the stored message'))[0].message?.body).to.equal('fire and forget');
  });

  it('redelivers a released message unchanged (delivery-count stays 0)', async () => {
    const address = uniqueName('unicast.openstack.release');
    const { inbox } = await manualReceiver(address, 2);
    const sender = await (await clients.connect(b)).createSender({ target: { address } });
    await send(sender, { body: 'again' });
    const [first] = await inbox.count(1, 'the first delivery');
    first.delivery!.release();
    const [, second] = await inbox.count(2, 'the redelivery');
    expect(second.message?.body).to.equal('again');
    expect(deliveryCount(first)).to.equal(0);
    expect(deliveryCount(second)).to.equal(0);
    expect(b.stats().released).to.equal(1);
  });

  it('raises delivery-count when a consumer answers modified with delivery-failed', async () => {
    const address = uniqueName('unicast.openstack.modified');
    const { inbox } = await manualReceiver(address, 3);
    const sender = await (await clients.connect(b)).createSender({ target: { address } });
    await send(sender, { body: 'failing' });
    (await inbox.count(1, 'the first delivery'))[0].delivery!.modified({ delivery_failed: true });
    (await inbox.count(2, 'the second delivery'))[1].delivery!.modified({ delivery_failed: true });
    const all = await inbox.count(3, 'the third delivery');
    expect(all.map(deliveryCount)).to.deep.equal([0, 1, 2]);
  });

  it('raises delivery-count on release too with releasedIncrementsDeliveryCount', async () => {
    await b.stop();
    await start({ releasedIncrementsDeliveryCount: true });
    const address = uniqueName('unicast.openstack.countrelease');
    const { inbox } = await manualReceiver(address, 2);
    const sender = await (await clients.connect(b)).createSender({ target: { address } });
    await send(sender, { body: 'counted' });
    (await inbox.count(1, 'the first delivery'))[0].delivery!.release();
    const all = await inbox.count(2, 'the redelivery');
    expect(all.map(deliveryCount)).to.deep.equal([0, 1]);
  });

  it('drops a message modified as undeliverable-here, and one that is rejected', async () => {
    const address = uniqueName('unicast.openstack.drop');
    const { inbox } = await manualReceiver(address, 5);
    const sender = await (await clients.connect(b)).createSender({ target: { address } });
    await send(sender, { body: 'not here' });
    await send(sender, { body: 'bad' });
    const [first, second] = await inbox.count(2, 'both messages');
    // One at a time: rhea merges different dispositions settled in the same tick into the first one's outcome.
    first.delivery!.modified({ delivery_failed: true, undeliverable_here: true });
    await until(() => b.stats().dropped === 1, 'the undeliverable message to be dropped');
    second.delivery!.reject({ condition: 'test:bad', description: 'no' });
    await send(sender, { body: 'next' });
    const all = await inbox.count(3, 'the next message');
    expect(all.map((x) => x.message?.body)).to.deep.equal(['not here', 'bad', 'next']);
    expect(b.stats()).to.include({ released: 0, dropped: 1 });
  });

  it('redelivers, with delivery-count raised, what a consumer had unsettled when its link or connection went away', async () => {
    const address = uniqueName('unicast.openstack.lost');
    const first = await manualReceiver(address, 2);
    const sender = await (await clients.connect(b)).createSender({ target: { address } });
    await send(sender, { body: 'm1' });
    await send(sender, { body: 'm2' });
    await first.inbox.count(2, 'two unsettled deliveries');
    await first.receiver.close();
    const second = await manualReceiver(address, 1);
    const [m1] = await second.inbox.count(1, 'the first redelivery');
    expect(m1.message?.body).to.equal('m1');
    expect(deliveryCount(m1)).to.equal(1);
    await second.c.close();
    const third = await manualReceiver(address, 5);
    const again = await third.inbox.count(2, 'both messages again');
    expect(again.map((x) => [x.message?.body, deliveryCount(x)])).to.deep.equal([
      ['m1', 2],
      ['m2', 1],
    ]);
  });

  it('drops a topic message when nobody is subscribed, but still accepts it', async () => {
    const address = `broadcast.${uniqueName('t')}.all`;
    const c = await clients.connect(b);
    const sender = await c.createSender({ target: { address } });
    expect(await send(sender, { body: 'lost' })).to.include({ type: 'accepted' });
    expect(b.stats()).to.include({ dropped: 1, queued: 0 });
    const inbox = new Inbox(await c.createReceiver({ source: { address } }));
    await send(sender, { body: 'seen' });
    expect((await inbox.count(1, 'the second message'))[0].message?.body).to.equal('seen');
    expect(inbox.received).to.have.length(1);
  });

  it('redelivers a topic copy released by one subscriber to that subscriber only', async () => {
    const address = `broadcast.${uniqueName('t')}.all`;
    const a = await manualReceiver(address, 5);
    const other = await manualReceiver(address, 5);
    const sender = await (await clients.connect(b)).createSender({ target: { address } });
    await send(sender, { body: 'copy' });
    (await a.inbox.count(1, 'the first copy'))[0].delivery!.release();
    await a.inbox.count(2, 'the released copy again');
    await other.inbox.count(1, 'the other copy');
    expect(other.inbox.received).to.have.length(1);
  });

  it('drops messages whose ttl ran out while they waited', async () => {
    const address = uniqueName('unicast.openstack.ttl');
    const c = await clients.connect(b);
    const sender = await c.createSender({ target: { address } });
    const sentAt = Date.now();
    await send(sender, { body: 'stale', ttl: 1 });
    await send(sender, { body: 'fresh', ttl: 60_000 });
    await until(() => Date.now() > sentAt + 5, 'the ttl to run out');
    const inbox = new Inbox(await c.createReceiver({ source: { address } }));
    await inbox.count(1, 'the fresh message');
    expect(inbox.bodies).to.deep.equal(['fresh']);
    expect(b.stats().dropped).to.equal(1);
  });

  it('stops granting credit to a sender while its queue is full, and resumes when it drains', async () => {
    await b.stop();
    await start({ maxQueueDepth: 4, creditWindow: 2 });
    const address = uniqueName('unicast.openstack.full');
    const c = await clients.connect(b);
    const sender = await c.createSender({ target: { address } });
    await sendable(sender);
    for (let i = 0; i < 10; i++) sender.send({ body: `m${i}` }); // rhea keeps what it has no credit for
    await until(() => b.stats().queued === 5, 'five stored messages');
    // A round trip on the same connection: any credit granted before it has reached the client.
    await c.createReceiver({ source: { address: uniqueName('unicast.openstack.other') } });
    const link = (sender as unknown as { _link: { delivery_count: number; credit: number } })._link;
    expect(link.delivery_count + link.credit, 'credit granted in total').to.equal(5);
    expect(b.stats().stored).to.equal(5);
    const inbox = new Inbox(await c.createReceiver({ source: { address }, credit_window: 100 }));
    await inbox.count(10, 'all ten messages once the queue drained');
    expect(inbox.bodies).to.deep.equal(Array.from({ length: 10 }, (_, i) => `m${i}`));
  });

  it('deletes a temporary queue with its receiver, and refuses links and messages to it afterwards', async () => {
    const client = await clients.connect(b);
    const replies = await client.createReceiver({ source: dynamicSource() });
    const address = replies.address;
    const server = await clients.connect(b);
    const relay = await server.createSender({ target: {} });
    await replies.close();
    const refused = await rejection(server.createSender({ target: { address } }), 'a sender to a deleted temporary queue');
    expect(String((refused as { condition?: string }).condition ?? refused)).to.include('amqp:not-found');
    expect(await send(relay, { body: 'late reply', to: address })).to.include({ type: 'rejected', condition: 'amqp:not-found' });
  });
});
