/**
 * The intermediary settles each delivery with its own outcome, even when several outcomes
 * of different kinds go out in one tick (rhea 3 would write them as one range of the
 * first one's outcome; lib/embedded/rhea-internals.ts splits them).
 */
import { expect } from 'chai';
import { type EmbeddedIntermediary, startEmbeddedIntermediary } from '../../lib/embedded';
import { uniqueName } from '../support/wait';
import { Clients, Inbox, outcomeOf, sendable } from './intermediary-support';

for (const mode of ['broker', 'router'] as const) {
  describe(`embedded intermediary: mixed outcomes in one tick (${mode})`, function () {
    this.timeout(15_000);
    let b: EmbeddedIntermediary;
    const clients = new Clients();
    beforeEach(async () => {
      b = await startEmbeddedIntermediary({ mode, holdMs: 5000, maxMessageSize: 1024 });
    });
    afterEach(async () => {
      await clients.closeAll();
      await b.stop();
    });

    it('answers accepted, rejected (too large), accepted for three messages sent in one tick', async () => {
      const address = uniqueName('unicast.openstack.mixed');
      const inbox = new Inbox(await (await clients.connect(b)).createReceiver({ source: { address } }));
      const sender = await (await clients.connect(b)).createSender({ target: { address } });
      await sendable(sender);
      const deliveries = [sender.send({ body: 'small 1' }), sender.send({ body: 'x'.repeat(2000) }), sender.send({ body: 'small 2' })];
      const outcomes = await Promise.all(deliveries.map((d) => outcomeOf(sender, d)));
      expect(outcomes.map((o) => o.type)).to.deep.equal(['accepted', 'rejected', 'accepted']);
      expect(outcomes[1].condition).to.equal('amqp:link:message-size-exceeded');
      expect((await inbox.count(2, 'the two small messages')).map((c) => c.message?.body)).to.deep.equal(['small 1', 'small 2']);
    });

    if (mode === 'router') {
      it("hands each producer its consumer's own outcome when the consumer settles several kinds at once", async () => {
        const address = uniqueName('unicast.openstack.relay');
        const consumer = await (await clients.connect(b)).createReceiver({ source: { address }, credit_window: 0, autoaccept: false });
        const inbox = new Inbox(consumer);
        consumer.addCredit(4);
        const sender = await (await clients.connect(b)).createSender({ target: { address } });
        await sendable(sender);
        const deliveries = [1, 2, 3, 4].map((n) => sender.send({ body: `m${n}` }));
        const outcomes = Promise.all(deliveries.map((d) => outcomeOf(sender, d)));
        const got = await inbox.count(4, 'four messages');
        // one outcome per tick from the consumer (rhea merges mixed outcomes of one tick on its own side too)
        const settle = [
          () => got[0].delivery!.release(),
          () => got[1].delivery!.reject({ condition: 'amqp:decode-error', description: 'bad' }),
          () => got[2].delivery!.accept(),
          () => got[3].delivery!.modified({ delivery_failed: true, undeliverable_here: true }),
        ];
        for (const s of settle) {
          s();
          await new Promise((r) => setImmediate(r));
        }
        const seen = await outcomes;
        expect(seen.map((o) => o.type)).to.deep.equal(['released', 'rejected', 'accepted', 'modified']);
        expect(seen[1].condition).to.equal('amqp:decode-error');
      });
    }
  });
}
