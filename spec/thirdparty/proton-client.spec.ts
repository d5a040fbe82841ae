/**
 * A third-party AMQP 1.0 client, Qpid Proton (Debian's python3-qpid-proton), through the
 * embedded intermediary in both personalities, and through the Qpid Proton C++ broker as
 * the control: queue round trips with Proton's default link names (its sender and receiver
 * of one address share a name on one session) and request/reply over a dynamic reply node.
 */
import { expect } from 'chai';
import { embeddedIntermediary, sharedIntermediary } from '../interop/intermediaries';
import { uniqueName } from '../support/wait';
import { runProtonClient } from './proton-client';

const COUNT = 50;

const INTERMEDIARIES = [sharedIntermediary('proton', 'the Qpid Proton C++ broker'), embeddedIntermediary('broker'), embeddedIntermediary('router')];

for (const intermediary of INTERMEDIARIES) {
  describe(`Qpid Proton (Python) client via ${intermediary.name}`, function () {
    this.timeout(40_000);
    before(async function () {
      await intermediary.setup(this);
    });
    after(() => intermediary.teardown());

    it(`sends ${COUNT} messages to a queue and receives and accepts all ${COUNT}, in order, with a sender and a receiver of one link name`, async () => {
      const run = await runProtonClient('round-trip', intermediary.url(), uniqueName('thirdparty.queue'), COUNT);
      expect(run.error, JSON.stringify(run)).to.equal(undefined);
      expect(run.linkNames?.sender).to.equal(run.linkNames?.receiver);
      expect(run).to.deep.include({ ok: true, sent: COUNT, received: COUNT, inOrder: true });
      expect(run.outcomes).to.deep.equal({ accepted: COUNT, rejected: 0, released: 0 });
    });

    it(`makes ${COUNT} requests with reply-to a dynamic reply node and gets every reply back by correlation id`, async () => {
      const run = await runProtonClient('request-reply', intermediary.url(), uniqueName('thirdparty.service'), COUNT);
      expect(run.error, JSON.stringify(run)).to.equal(undefined);
      expect(run.replyAddress).to.be.a('string').and.not.equal('');
      expect(run).to.deep.include({ ok: true, sent: COUNT, answered: COUNT, replies: COUNT, unmatched: 0 });
      expect(run.outcomes).to.deep.equal({ accepted: COUNT, rejected: 0, released: 0 });
    });
  });
}
