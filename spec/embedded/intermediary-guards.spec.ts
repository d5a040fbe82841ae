import { expect } from 'chai';
import type { Source } from 'rhea-promise';
import { type EmbeddedIntermediary, type EmbeddedIntermediaryOptions, startEmbeddedIntermediary } from '../../lib/embedded';
import { uniqueName } from '../support/wait';
import { Clients, Inbox, linkRefusal, rawExchange, rejection, send, sendable, until } from './intermediary-support';

const HEADER = Buffer.from('AMQP\x00\x01\x00\x00', 'latin1');
/** An Open frame with container-id "raw". */
const OPEN = Buffer.from('0000001302000000005310c00601a103726177', 'hex');
/** A frame whose performative has the unknown descriptor 0x99. */
const UNKNOWN_PERFORMATIVE = Buffer.from('0000000e020000000053 99c00100'.replace(/ /g, ''), 'hex');
/** The start of a frame announcing 100000 bytes. */
const HUGE_FRAME = Buffer.from('000186a002000000005310', 'hex');

for (const mode of ['broker', 'router'] as const) {
  describe(`embedded intermediary: authentication and bad input (${mode})`, function () {
    this.timeout(15_000);
    let b: EmbeddedIntermediary;
    const clients = new Clients();
    const start = async (options: EmbeddedIntermediaryOptions = {}) => {
      b = await startEmbeddedIntermediary({ mode, holdMs: 5000, ...options });
    };

    afterEach(async () => {
      await clients.closeAll();
      await b.stop();
    });

    /** Proves the intermediary still serves: a fresh connection sends a message to a fresh receiver. */
    async function stillServes(): Promise<void> {
      const address = uniqueName('unicast.openstack.alive');
      const c = await clients.connect(b);
      const inbox = new Inbox(await c.createReceiver({ source: { address } }));
      const sender = await c.createSender({ target: { address } });
      await send(sender, { body: 'still here' });
      expect((await inbox.count(1, 'a message on a fresh connection'))[0].message?.body).to.equal('still here');
    }

    describe('with users', () => {
      beforeEach(() => start({ users: { alice: 's3cret', bob: 'other' } }));

      it('lets a user in with SASL PLAIN', async () => {
        await clients.connect(b, { username: 'alice', password: 's3cret' });
        await stillServesAs('bob', 'other');
      });

      async function stillServesAs(username: string, password: string) {
        const address = uniqueName('unicast.openstack.auth');
        const c = await clients.connect(b, { username, password });
        const inbox = new Inbox(await c.createReceiver({ source: { address } }));
        await send(await c.createSender({ target: { address } }), { body: 'authenticated' });
        await inbox.count(1, 'a message over an authenticated connection');
      }

      it('refuses a wrong password with a SASL authentication failure, and counts it', async () => {
        const error = await rejection(clients.connect(b, { username: 'alice', password: 'wrong' }), 'a connection with a wrong password');
        expect(JSON.stringify(error)).to.match(/unauthorized-access|authenticate/i);
        expect(b.stats().authFailures).to.equal(1);
        expect(JSON.stringify(error)).to.not.include('wrong');
      });

      it('refuses an unknown user', async () => {
        await rejection(clients.connect(b, { username: 'mallory', password: 's3cret' }), 'a connection as an unknown user');
        expect(b.stats().authFailures).to.equal(1);
      });

      it('refuses ANONYMOUS and clients that skip SASL', async () => {
        await rejection(clients.connect(b, { username: 'anonymous-user' }), 'an ANONYMOUS connection');
        await rejection(clients.connect(b), 'a connection without SASL');
        await until(() => b.stats().connections === 0, 'the refused sockets to close');
      });
    });

    describe('without users', () => {
      beforeEach(() => start());

      it('lets clients in without SASL, with ANONYMOUS, and with PLAIN and any password', async () => {
        await clients.connect(b);
        await clients.connect(b, { username: 'someone' });
        await clients.connect(b, { username: 'someone', password: 'anything' });
        expect(b.stats().connections).to.equal(3);
      });
    });

    describe('limits', () => {
      it('rejects a message over maxMessageSize with amqp:link:message-size-exceeded and keeps the link usable', async () => {
        await start({ maxMessageSize: 1000 });
        const address = uniqueName('unicast.openstack.size');
        const c = await clients.connect(b);
        const inbox = new Inbox(await c.createReceiver({ source: { address } }));
        const sender = await c.createSender({ target: { address } });
        expect(sender.maxMessageSize, 'advertised in the attach').to.equal(1000);
        const outcome = await send(sender, { body: 'x'.repeat(2000) });
        expect(outcome).to.include({ type: 'rejected', condition: 'amqp:link:message-size-exceeded' });
        expect(outcome.description).to.match(/larger than max-message-size 1000/);
        const presettled = await c.createSender({ target: { address }, snd_settle_mode: 1 });
        await sendable(presettled);
        presettled.send({ body: 'y'.repeat(2000) });
        await until(() => b.stats().dropped === 1, 'the pre-settled oversize message to be dropped');
        expect(await send(sender, { body: 'small' })).to.include({ type: 'accepted' });
        await inbox.count(1, 'the small message');
        expect(inbox.bodies).to.deep.equal(['small']);
        expect(b.stats().rejected).to.equal(1);
      });

      it('advertises maxFrameSize and takes a message split over many frames', async () => {
        await start({ maxFrameSize: 512 });
        const address = uniqueName('unicast.openstack.frames');
        const c = await clients.connect(b);
        expect(c.maxFrameSize).to.equal(512);
        const inbox = new Inbox(await c.createReceiver({ source: { address } }));
        const body = Array.from({ length: 5000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
        expect(await send(await c.createSender({ target: { address } }), { body })).to.include({ type: 'accepted' });
        expect((await inbox.count(1, 'the large message'))[0].message?.body).to.equal(body);
      });
    });

    describe('bad frames', () => {
      beforeEach(() => start({ maxFrameSize: 4096 }));

      it('closes a connection that sends a frame above maxFrameSize with amqp:connection:framing-error', async () => {
        const reply = await rawExchange(b.port, Buffer.concat([HEADER, OPEN, HUGE_FRAME, Buffer.alloc(1000)]));
        expect(reply.toString('latin1')).to.include('amqp:connection:framing-error');
        await stillServes();
      });

      it('closes a connection that sends an unknown performative with amqp:decode-error', async () => {
        const reply = await rawExchange(b.port, Buffer.concat([HEADER, OPEN, UNKNOWN_PERFORMATIVE]));
        expect(reply.toString('latin1')).to.include('amqp:decode-error');
        await stillServes();
      });

      it('drops a connection that does not speak AMQP', async () => {
        const reply = await rawExchange(b.port, Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
        expect(reply.toString('latin1')).to.not.include('HTTP');
        await stillServes();
      });

      it('drops a connection that announces a frame smaller than a frame header', async () => {
        await rawExchange(b.port, Buffer.concat([HEADER, Buffer.from('0000000402000000', 'hex')]));
        await stillServes();
      });
    });

    describe('bad links', () => {
      beforeEach(() => start({ refusePatterns: ['forbidden.'] }));

      it('refuses links without a usable address with amqp:invalid-field and keeps the connection', async () => {
        const c = await clients.connect(b);
        expect(await linkRefusal(c.createSender({ target: { address: '' } }))).to.include({ condition: 'amqp:invalid-field' });
        expect(await linkRefusal(c.createReceiver({ source: { address: '' } }))).to.include({ condition: 'amqp:invalid-field' });
        expect(await linkRefusal(c.createReceiver())).to.include({ condition: 'amqp:invalid-field' });
        const address = uniqueName('unicast.openstack.after');
        const inbox = new Inbox(await c.createReceiver({ source: { address } }));
        await send(await c.createSender({ target: { address } }), { body: 'fine' });
        await inbox.count(1, 'a message on the same connection');
      });

      it('refuses addresses matching refusePatterns with amqp:unauthorized-access, also through anonymous relay', async () => {
        const c = await clients.connect(b);
        expect(await linkRefusal(c.createSender({ target: { address: 'forbidden.x' } }))).to.include({ condition: 'amqp:unauthorized-access' });
        expect(await linkRefusal(c.createReceiver({ source: { address: 'forbidden.y' } }))).to.include({ condition: 'amqp:unauthorized-access' });
        const relay = await c.createSender({ target: {} });
        expect(await send(relay, { body: 'no', to: 'forbidden.z' })).to.include({ type: 'rejected', condition: 'amqp:unauthorized-access' });
      });

      it('refuses dynamic targets with amqp:not-implemented', async () => {
        const c = await clients.connect(b);
        const dynamicTarget = { dynamic: true } as unknown as Source;
        expect(await linkRefusal(c.createSender({ target: dynamicTarget }))).to.include({ condition: 'amqp:not-implemented' });
        await stillServes();
      });
    });
  });
}
