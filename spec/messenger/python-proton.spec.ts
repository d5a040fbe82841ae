/**
 * The messenger with a third-party AMQP 1.0 peer: Python Qpid Proton's BlockingConnection
 * (python3-qpid-proton, Debian's /usr/bin/python3) sending to a listening messenger, and
 * receiving through a broker what a messenger sent.
 */
import { expect } from 'chai';
import { lastValueFrom, merge, toArray } from 'rxjs';
import { type Messenger, createMessenger } from '../../lib';
import { embeddedIntermediary, sharedIntermediary } from '../interop/intermediaries';
import { uniqueName, within } from '../support/wait';
import { listen, settleBySubject } from './messenger-support';
import { runProtonClient } from './proton-python';

describe('messenger with a Python Qpid Proton peer', function () {
  this.timeout(60_000);
  let m: Messenger;
  beforeEach(() => {
    m = createMessenger();
  });
  afterEach(() => within(m.close(), 'the messenger to close', 15_000));

  describe('Python sends to a listening messenger', () => {
    it('delivers to any node, on a link to the node or by anonymous relay, and Python sees the outcome the subscriber settled with', async () => {
      const peer = await listen(m, settleBySubject);
      const url = `amqp://127.0.0.1:${peer.listening.port}`;
      const messages = JSON.stringify([
        { body: 'one', subject: 'accept' },
        { body: 'two', subject: 'reject' },
        { body: 'three', subject: 'release' },
        { body: 'four', subject: 'modify' },
      ]);
      const onLink = await runProtonClient(['send', '--url', url, '--node', 'python/orders', '--messages', messages]);
      expect(onLink).to.deep.equal([
        { state: 'ACCEPTED' },
        { state: 'REJECTED', condition: 'app:unwanted', description: 'not wanted here' },
        { state: 'RELEASED' },
        { state: 'MODIFIED' },
      ]);
      const relayed = await runProtonClient(['send', '--url', url, '--node', 'relay-node', '--anonymous', '--messages', JSON.stringify([{ body: 'five' }])]);
      expect(relayed).to.deep.equal([{ state: 'ACCEPTED' }]);
      expect(peer.log.received.map((d) => [d.message.to, d.message.body])).to.deep.equal([
        ['python/orders', 'one'],
        ['python/orders', 'two'],
        ['python/orders', 'three'],
        ['python/orders', 'four'],
        ['relay-node', 'five'],
      ]);
    });
  });

  const brokers = [sharedIntermediary('proton', 'the Qpid Proton C++ broker'), embeddedIntermediary('broker')];

  for (const broker of brokers) {
    describe(`Python receives through ${broker.name} what a messenger sent`, () => {
      let url: string;
      before(async function () {
        await broker.setup(this);
        url = broker.url().replace(/\/$/, '');
      });
      after(() => broker.teardown());

      it('gets every message with its body, subject and node', async () => {
        const node = uniqueName('to-python');
        const outcomes = await lastValueFrom(
          merge(...['a', 'b', 'c'].map((body) => m.send({ address: `${url}/${node}`, body, subject: `s-${body}` }))).pipe(toArray()),
        );
        expect(outcomes.map((o) => o.outcome)).to.deep.equal(['accepted', 'accepted', 'accepted']);
        const received = await runProtonClient(['receive', '--url', url, '--node', node, '--count', '3']);
        expect(received).to.deep.equal([
          { body: 'a', to: node, subject: 's-a' },
          { body: 'b', to: node, subject: 's-b' },
          { body: 'c', to: node, subject: 's-c' },
        ]);
      });
    });
  }
});
