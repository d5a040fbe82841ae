/**
 * The link-level parts of the core on their own, through the embedded intermediary:
 * SenderLink (credit waits, cancel, pre-settled, in-doubt classification), receiver credit,
 * and the ReplyRouter (one reply address per connection, late replies, close).
 */
import { expect } from 'chai';
import { ReplaySubject, firstValueFrom, take, toArray } from 'rxjs';
import { ConnectionLost, type IncomingDelivery, MessageDeliveryFailure, TransportClosed, createTransport, type Transport } from '../../lib';
import { type EmbeddedIntermediary, startEmbeddedIntermediary } from '../../lib/testing';
import { type ReplyEvent, ReplyRouter } from '../../lib/rpc/reply-router';
import { first, firstN, within } from '../support/wait';

let seq = 0;
const unique = (p: string) => `${p}-${process.pid}-${++seq}`;
const text = (d: IncomingDelivery) => String(d.message.body);


/** Registers call `id` with `router`; its events (and an error) are replayed to late subscribers. */
function registered(router: ReplyRouter, id: string): ReplaySubject<ReplyEvent> {
  const events = new ReplaySubject<ReplyEvent>();
  router.register(id, events);
  return events;
}

describe('links (the embedded router)', () => {
  let intermediary: EmbeddedIntermediary;
  const transports: Transport[] = [];
  const open = () => {
    const t = createTransport(intermediary.url, { connectionRetryIntervalMs: 1000 });
    transports.push(t);
    return t;
  };
  beforeEach(async () => {
    intermediary = await startEmbeddedIntermediary({ mode: 'router' });
  });
  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.close()));
    await intermediary.stop();
  });

  describe('SenderLink', () => {
    it('a send still waiting for credit when the connection drops fails with a ConnectionLost that is not in doubt', async () => {
      const c = await open().ready();
      const outcome = firstValueFrom(c.send(unique('nobody'), { body: 'x' })).catch((e: unknown) => e);
      await intermediary.stop();
      const e = await within(outcome, 'the send to fail');
      expect(e).to.be.instanceOf(ConnectionLost);
      expect((e as ConnectionLost).inDoubt).to.equal(false);
    });

    it('a send written but not settled when the connection drops fails in doubt', async () => {
      const t = open();
      const q = unique('held');
      const got = first(t.receive({ address: q, credit: 1 }), 'the held delivery');
      const c = await t.ready();
      const outcome = firstValueFrom(c.send(q, { body: 'x' })).catch((e: unknown) => e);
      await got; // received and never settled: the router holds the sender's transfer
      await intermediary.stop();
      const e = await within(outcome, 'the send to fail');
      expect(e).to.be.instanceOf(ConnectionLost);
      expect((e as ConnectionLost).inDoubt).to.equal(true);
    });

    it('unsubscribing before credit comes drops the message; the next one goes', async () => {
      const t = open();
      const q = unique('cancel');
      const c = await t.ready();
      c.send(q, { body: 'dropped' }).subscribe().unsubscribe();
      const kept = firstValueFrom(c.send(q, { body: 'kept' }));
      const got: IncomingDelivery[] = [];
      // settled as it arrives, while the link stays attached
      const sub = t.receive({ address: q, credit: 10 }).subscribe((d) => (got.push(d), d.accept()));
      expect((await within(kept, 'the outcome')).outcome).to.equal('accepted');
      expect(got.map(text)).to.deep.equal(['kept']);
      sub.unsubscribe();
    });

    it('a pre-settled send completes once written, and arrives pre-settled', async () => {
      const t = open();
      const q = unique('presettled');
      const rx = firstN(t.receive({ address: q, credit: 10 }), 1, 'a delivery');
      await new Promise((r) => setTimeout(r, 50));
      const c = await t.ready();
      expect((await firstValueFrom(c.send(q, { body: 'fire' }, { preSettled: true }))).outcome).to.equal('settled');
      const [d] = await rx;
      expect(text(d)).to.equal('fire');
      expect(d.preSettled).to.equal(true);
    });

    it('refuses a message over maxMessageSize before sending it', async () => {
      const c = await open().ready();
      const e = await firstValueFrom(c.send(unique('big'), { body: 'x'.repeat(2000) }, { maxMessageSize: 1000 })).catch((x: unknown) => x);
      expect(e).to.be.instanceOf(MessageDeliveryFailure);
      expect((e as Error).message).to.match(/exceeds the 1000-byte limit/);
    });
  });

  describe('receiver credit', () => {
    it('holds exactly its credit unsettled, takes one more per settlement, and releases what it holds on unsubscribe', async () => {
      const brokerLike = await startEmbeddedIntermediary({ mode: 'broker' });
      try {
        const t = createTransport(brokerLike.url);
        transports.push(t);
        const q = unique('credit');
        await Promise.all([1, 2, 3, 4, 5].map((n) => firstValueFrom(t.send(q, { body: `m${n}` }))));
        const held: IncomingDelivery[] = [];
        const sub = t.receive({ address: q, credit: 3 }).subscribe((d) => held.push(d));
        const deadline = Date.now() + 5000;
        while (held.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        expect(held.map(text)).to.deep.equal(['m1', 'm2', 'm3']);
        // a fourth would arrive now if credit were not tied to settlement: settle one and see exactly one more come
        held[0].accept();
        while (held.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        expect(held.map(text)).to.deep.equal(['m1', 'm2', 'm3', 'm4']);
        sub.unsubscribe();
        // m2, m3, m4 were released: they come again, then m5
        const again = await firstValueFrom(t.receive({ address: q, credit: 10 }).pipe(take(4), toArray()));
        expect(again.map(text).sort()).to.deep.equal(['m2', 'm3', 'm4', 'm5']);
        again.forEach((d) => d.accept());
      } finally {
        await Promise.all(transports.splice(0).map((t) => t.close()));
        await brokerLike.stop();
      }
    });
  });

  describe('ReplyRouter', () => {
    it('gives each connection its own reply address, and a call sent on a lost one fails at once in doubt', async () => {
      const t = open();
      const router = new ReplyRouter(t);
      const c1 = await t.ready();
      const a1 = await within(firstValueFrom(router.replyAddressOn(c1)), 'the first reply address');
      const events = registered(router, 'call-1');
      const ended = firstValueFrom(events).catch((e: unknown) => e);
      router.sentOn('call-1', a1);
      const port = intermediary.port;
      await intermediary.stop();
      const e = await within(ended, 'the call to fail');
      expect(e).to.be.instanceOf(ConnectionLost);
      expect((e as ConnectionLost).inDoubt).to.equal(true);
      // waiting on the lost connection fails (not in doubt), so a call would go out on the next one
      const stale = await firstValueFrom(router.replyAddressOn(c1)).catch((x: unknown) => x);
      expect(stale).to.be.instanceOf(ConnectionLost);
      expect((stale as ConnectionLost).inDoubt).to.equal(false);
      intermediary = await startEmbeddedIntermediary({ mode: 'router', port });
      const c2 = await within(firstValueFrom(t.connection$), 'the new connection', 10_000);
      const a2 = await within(firstValueFrom(router.replyAddressOn(c2)), 'the second reply address', 10_000);
      expect(a2).to.not.equal(a1);
      // a call bound to an address that is not the current one fails at once
      const late = firstValueFrom(registered(router, 'call-2')).catch((x: unknown) => x);
      router.sentOn('call-2', a1);
      expect(await late).to.be.instanceOf(ConnectionLost);
      expect(router.size).to.equal(0);
    });

    it('discards replies nobody waits for and routes the next one', async () => {
      const t = open();
      const router = new ReplyRouter(t);
      const c = await t.ready();
      const address = await firstValueFrom(router.replyAddressOn(c));
      const events = registered(router, 'wanted');
      router.sentOn('wanted', address);
      const nobody = await firstValueFrom(t.send(address, { correlation_id: 'nobody', body: '{"result": 1}' }));
      // the router hands the sender the receiver's outcome: modified, undeliverable here
      expect(nobody.outcome).to.equal('modified');
      const reply = firstValueFrom(events);
      await firstValueFrom(t.send(address, { correlation_id: 'wanted', body: '{"result": 2, "failure": null}' }));
      expect(await within(reply, 'the reply')).to.deep.include({ kind: 'response' });
    });

    it('fails waiting calls and later requests for an address with TransportClosed once closed', async () => {
      const t = open();
      const router = new ReplyRouter(t);
      const c = await t.ready();
      await firstValueFrom(router.replyAddressOn(c));
      const waiting = firstValueFrom(registered(router, 'w')).catch((e: unknown) => e);
      await t.close();
      expect(await within(waiting, 'the call to end')).to.be.instanceOf(TransportClosed);
      expect(await firstValueFrom(router.replyAddressOn(c)).catch((e: unknown) => e)).to.be.instanceOf(Error);
    });
  });
});
