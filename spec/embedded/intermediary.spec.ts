import { expect } from 'chai';
import type { Connection as RheaConnection } from 'rhea';
import type { Connection } from 'rhea-promise';
import { type EmbeddedIntermediary, startEmbeddedIntermediary } from '../../lib/embedded';
import { portOpen } from '../support/ports';
import { uniqueName, within } from '../support/wait';
import { Clients, Inbox, dynamicSource, outcomeOf, send, sendable, until } from './intermediary-support';

function rheaConnection(c: Connection): RheaConnection {
  return (c as unknown as { _connection: RheaConnection })._connection;
}

for (const mode of ['broker', 'router'] as const) {
  describe(`embedded intermediary: both personalities (${mode})`, function () {
    this.timeout(15_000);
    let b: EmbeddedIntermediary;
    const clients = new Clients();

    beforeEach(async () => {
      b = await startEmbeddedIntermediary({ mode, holdMs: 5000 });
    });
    afterEach(async () => {
      await clients.closeAll();
      await b.stop();
    });

    it('listens on 127.0.0.1 with an ephemeral port and an amqp:// url', () => {
      expect(b.port).to.be.greaterThan(0);
      expect(b.url).to.equal(`amqp://127.0.0.1:${b.port}`);
      expect(b.mode).to.equal(mode);
    });

    it('opens and closes connections and counts the open ones', async () => {
      const c1 = await clients.connect(b);
      await clients.connect(b);
      await until(() => b.stats().connections === 2, 'two connections');
      await c1.close();
      await until(() => b.stats().connections === 1, 'one connection after a close');
    });

    it(mode === 'router' ? 'announces product qpid-dispatch-router in its Open' : 'announces no product in its Open', async () => {
      const c = await clients.connect(b);
      const props = c.properties ?? {};
      if (mode === 'router') expect(props.product).to.equal('qpid-dispatch-router');
      else expect(props).to.not.have.property('product');
      expect(props['oslo-rx-intermediary']).to.equal(mode);
    });

    it('offers ANONYMOUS-RELAY', async () => {
      const c = await clients.connect(b);
      const caps = rheaConnection(c).offered_capabilities;
      expect(([] as string[]).concat(caps ?? [])).to.include('ANONYMOUS-RELAY');
    });

    it('delivers a message sent to a queue address to its receiver', async () => {
      const address = uniqueName('unicast.openstack.q');
      const c = await clients.connect(b);
      const inbox = new Inbox(await c.createReceiver({ source: { address } }));
      const sender = await c.createSender({ target: { address } });
      expect(await send(sender, { body: 'hello', to: address })).to.include({ type: 'accepted' });
      const [got] = await inbox.count(1, 'the message');
      expect(got.message?.body).to.equal('hello');
      expect(b.stats().delivered).to.equal(1);
    });

    it('shares the messages of a queue round robin between two receivers', async () => {
      const address = uniqueName('exclusive.openstack.t.srv');
      const c = await clients.connect(b);
      const r1 = new Inbox(await c.createReceiver({ source: { address }, credit_window: 10 }));
      const r2 = new Inbox(await c.createReceiver({ source: { address }, credit_window: 10 }));
      const sender = await c.createSender({ target: { address } });
      for (let i = 0; i < 4; i++) await send(sender, { body: `m${i}` });
      await r1.count(2, 'two messages on the first receiver');
      await r2.count(2, 'two messages on the second receiver');
      expect(r1.bodies).to.deep.equal(['m0', 'm2']);
      expect(r2.bodies).to.deep.equal(['m1', 'm3']);
    });

    for (const address of ['broadcast.openstack.%s.all', 'openstack.org/om/rpc/multicast/openstack/%s', 'topic://%s']) {
      it(`copies a message to ${address} to every receiver`, async () => {
        const a = address.replace('%s', uniqueName('t'));
        const c = await clients.connect(b);
        const r1 = new Inbox(await c.createReceiver({ source: { address: a } }));
        const r2 = new Inbox(await c.createReceiver({ source: { address: a } }));
        const sender = await c.createSender({ target: { address: a } });
        expect(await send(sender, { body: 'one' })).to.include({ type: 'accepted' });
        expect(await send(sender, { body: 'two' })).to.include({ type: 'accepted' });
        await r1.count(2, 'both copies on the first receiver');
        await r2.count(2, 'both copies on the second receiver');
        expect(r1.bodies).to.deep.equal(['one', 'two']);
        expect(r2.bodies).to.deep.equal(['one', 'two']);
      });
    }

    it('routes by "to" on an anonymous-relay sender and rejects a message without "to"', async () => {
      const address = uniqueName('unicast.openstack.relay');
      const c = await clients.connect(b);
      const inbox = new Inbox(await c.createReceiver({ source: { address } }));
      const relay = await c.createSender({ target: {} });
      expect(await send(relay, { body: 'via relay', to: address })).to.include({ type: 'accepted' });
      expect((await inbox.count(1, 'the relayed message'))[0].message?.body).to.equal('via relay');
      const noTo = await send(relay, { body: 'nowhere' });
      expect(noTo).to.include({ type: 'rejected', condition: 'amqp:invalid-field' });
    });

    it('gives a dynamic source a temporary address that works as a reply address', async () => {
      const server = await clients.connect(b);
      const client = await clients.connect(b);
      const other = await client.createReceiver({ source: dynamicSource() });
      const replies = new Inbox(other);
      const replyReceiver = await client.createReceiver({ source: dynamicSource() });
      const inbox = new Inbox(replyReceiver);
      expect(replyReceiver.address).to.match(/^dynamic\/[0-9a-f-]{36}$/);
      expect(replyReceiver.address).to.not.equal(other.address);
      const byLink = await server.createSender({ target: { address: replyReceiver.address } });
      expect(await send(byLink, { body: 'reply 1', to: replyReceiver.address })).to.include({ type: 'accepted' });
      const relay = await server.createSender({ target: {} });
      expect(await send(relay, { body: 'reply 2', to: replyReceiver.address })).to.include({ type: 'accepted' });
      await inbox.count(2, 'both replies');
      expect(inbox.bodies).to.deep.equal(['reply 1', 'reply 2']);
      expect(replies.received).to.have.length(0);
    });

    it('never sends a receiver more than its credit, and sends more once it settles and grants again', async () => {
      const address = uniqueName('unicast.openstack.credit');
      const c = await clients.connect(b);
      const receiver = await c.createReceiver({ source: { address }, credit_window: 0, autoaccept: false });
      const inbox = new Inbox(receiver);
      receiver.addCredit(2);
      const sender = await c.createSender({ target: { address } });
      await sendable(sender);
      const deliveries = [0, 1, 2, 3, 4].map((i) => sender.send({ body: `m${i}` }));
      await inbox.count(2, 'two messages');
      await until(() => b.stats().queued === 3, 'three messages left waiting');
      expect(inbox.received).to.have.length(2);
      for (const ctx of inbox.received) ctx.delivery!.accept();
      if (mode === 'router') {
        // end to end: the sender's first two deliveries are settled only now
        expect(await outcomeOf(sender, deliveries[0])).to.include({ type: 'accepted' });
      }
      receiver.addCredit(1);
      const all = await inbox.count(3, 'the third message');
      expect(all.map((x) => x.message?.body)).to.deep.equal(['m0', 'm1', 'm2']);
      await until(() => b.stats().queued === 2, 'two messages left waiting');
    });

    it('answers a drain request by using up the credit it cannot fill', async () => {
      const address = uniqueName('unicast.openstack.drain');
      const c = await clients.connect(b);
      const receiver = await c.createReceiver({ source: { address }, credit_window: 0, autoaccept: false });
      const drained = new Promise<void>((resolve) => receiver.once('receiver_drained', () => resolve()));
      receiver.addCredit(5);
      receiver.drainCredit();
      await within(drained, 'the drain to be answered');
      expect(receiver.credit).to.equal(0);
    });

    it('sends pre-settled to a receiver that asks for settled delivery', async () => {
      const address = uniqueName('unicast.openstack.settled');
      const c = await clients.connect(b);
      const inbox = new Inbox(await c.createReceiver({ source: { address }, snd_settle_mode: 1 }));
      const sender = await c.createSender({ target: { address } });
      expect(await send(sender, { body: 'at most once' })).to.include({ type: 'accepted' });
      const [got] = await inbox.count(1, 'the message');
      expect(got.delivery!.remote_settled).to.equal(true);
      await until(() => b.stats().queued === 0, 'nothing left');
    });

    it('stop() closes client connections and frees the port for a new instance', async () => {
      const c = await clients.connect(b);
      const closed = new Promise<void>((resolve) => c.once('disconnected', () => resolve()));
      const port = b.port;
      await within(b.stop(), 'stop()', 5000);
      await within(closed, 'the client to see its connection end', 5000);
      expect(await portOpen(port)).to.equal(false);
      expect(b.stats().connections).to.equal(0);
      b = await startEmbeddedIntermediary({ mode, port });
      expect(b.port).to.equal(port);
      await clients.connect(b);
    });
  });
}
