/**
 * Two messengers with no intermediary: one listens (`amqp://~127.0.0.1:0`), the other sends
 * straight to it. Also raw AMQP peers (rhea-promise, raw sockets) against a listening messenger.
 */
import { expect } from 'chai';
import { firstValueFrom, lastValueFrom, merge, toArray } from 'rxjs';
import { ConnectionEvents, type EventContext } from 'rhea-promise';
import { type DeliveryOutcome, ListenFailed, type Messenger, TransportClosed, createMessenger, isMessagingError } from '../../lib';
import { Clients, linkRefusal, rawExchange, rejection, sendable, until } from '../embedded/intermediary-support';
import { portOpen } from '../support/ports';
import { within } from '../support/wait';
import { listen, settleBySubject } from './messenger-support';

const HEADER = Buffer.from('AMQP\x00\x01\x00\x00', 'latin1');
/** An Open frame with container-id "raw". */
const OPEN = Buffer.from('0000001302000000005310c00601a103726177', 'hex');
/** A frame whose performative has the unknown descriptor 0x99. */
const UNKNOWN_PERFORMATIVE = Buffer.from('0000000e02000000005399c00100', 'hex');

describe('messenger: peer to peer (amqp://~host:port)', function () {
  this.timeout(30_000);
  let a: Messenger;
  let b: Messenger;
  const clients = new Clients();

  beforeEach(() => {
    a = createMessenger();
    b = createMessenger();
  });

  afterEach(async () => {
    await clients.closeAll();
    await within(Promise.all([a.close(), b.close()]), 'both messengers to close', 15_000);
  });

  it('delivers messages to any node with the node in `to`, and each tracker emits the outcome the subscriber settled with', async () => {
    const peer = await listen(a, settleBySubject);
    const sendAs = (node: string, subject: string) => firstValueFrom(b.send({ address: peer.address(node), subject, body: `${subject} to ${node}` }));
    const outcomes: DeliveryOutcome[] = [];
    for (const [node, subject] of [['orders', 'accept'], ['audit/log', 'release'], ['queue.x', 'modify'], ['x', 'reject']]) {
      outcomes.push(await sendAs(node, subject));
    }
    expect(outcomes).to.deep.equal([
      { outcome: 'accepted' },
      { outcome: 'released' },
      { outcome: 'modified', deliveryFailed: true, undeliverableHere: true },
      { outcome: 'rejected', condition: 'app:unwanted', description: 'not wanted here' },
    ]);
    expect(peer.log.received.map((d) => d.message.to)).to.deep.equal(['orders', 'audit/log', 'queue.x', 'x']);
    expect(peer.log.bodies).to.deep.equal(['accept to orders', 'release to audit/log', 'modify to queue.x', 'reject to x']);
    expect(b.hosts()).to.deep.equal([`amqp://127.0.0.1:${peer.listening.port}`]);
  });

  it('takes the destination from `to` when there is no `address`', async () => {
    const peer = await listen(a, settleBySubject);
    expect(await firstValueFrom(b.send({ to: peer.address('by-to'), body: 1 }))).to.deep.equal({ outcome: 'accepted' });
    expect(peer.log.received[0].message.to).to.equal('by-to');
  });

  it('has a cold tracker: nothing is sent before it is subscribed, and each subscription sends once', async () => {
    const peer = await listen(a, settleBySubject);
    const tracker = b.send({ address: peer.address('cold'), body: 'again' });
    expect(b.hosts()).to.deep.equal([]);
    await firstValueFrom(tracker);
    await firstValueFrom(tracker);
    await peer.log.count(2, 'two sends of one tracker');
    expect(peer.log.bodies).to.deep.equal(['again', 'again']);
  });

  it('sends pre-settled per message: its tracker emits settled and the subscriber sees a pre-settled delivery', async () => {
    const peer = await listen(a, settleBySubject);
    expect(await firstValueFrom(b.send({ address: peer.address('fire'), body: 'and forget' }, { preSettled: true }))).to.deep.equal({ outcome: 'settled' });
    expect(await firstValueFrom(b.send({ address: peer.address('fire'), body: 'tracked' }))).to.deep.equal({ outcome: 'accepted' });
    const [presettled, tracked] = await peer.log.count(2, 'the two messages');
    expect(presettled.preSettled).to.equal(true);
    expect(tracked.preSettled).to.equal(false);
  });

  it('queues sends beyond the outgoing window until outcomes come back', async () => {
    const small = createMessenger({ outgoingWindow: 2 });
    try {
      const peer = await listen(a); // holds every delivery until the test settles it
      const all = lastValueFrom(merge(...[1, 2, 3, 4, 5].map((n) => small.send({ address: peer.address('window'), body: n }))).pipe(toArray()));
      await peer.log.count(2, 'the first two sends');
      expect(small.outgoing).to.deep.equal({ unsettled: 2, queued: 3 });
      expect(peer.log.received).to.have.length(2);
      peer.log.received[0].accept();
      await peer.log.count(3, 'the third send, once the first settled');
      await until(() => small.outgoing.queued === 2, 'the window to admit the third send');
      expect(small.outgoing.unsettled).to.equal(2);
      for (const d of (await peer.log.count(3, 'three'))) d.accept();
      for (const d of (await peer.log.count(5, 'all five')).slice(3)) d.accept();
      expect((await within(all, 'all five trackers')).map((o) => o.outcome)).to.deep.equal(Array(5).fill('accepted'));
      expect(small.outgoing).to.deep.equal({ unsettled: 0, queued: 0 });
      expect(peer.log.bodies).to.deep.equal([1, 2, 3, 4, 5]);
    } finally {
      await small.close();
    }
  });

  it('gives each incoming link the subscription credit, and returns it as deliveries are settled', async () => {
    const peer = await listen(a, undefined, { credit: 2 });
    const c = await clients.connect({ port: peer.listening.port });
    const sender = await c.createSender({ target: { address: 'credit' } });
    await sendable(sender);
    expect(sender.credit).to.equal(2);
    sender.send({ body: 1 });
    sender.send({ body: 2 });
    await peer.log.count(2, 'two messages');
    await until(() => sender.credit === 0, 'the credit to be used up');
    peer.log.received[0].accept();
    peer.log.received[1].accept();
    await until(() => sender.credit === 2, 'the credit to come back after two settlements');
  });

  it('refuses receiving links from peers with amqp:not-implemented', async () => {
    const peer = await listen(a);
    const c = await clients.connect({ port: peer.listening.port });
    expect(await linkRefusal(c.createReceiver({ source: { address: 'anything' } }))).to.include({ condition: 'amqp:not-implemented' });
  });

  it('answers garbage from a peer with an AMQP error and goes on serving', async () => {
    const peer = await listen(a, settleBySubject);
    const decodeError = await rawExchange(peer.listening.port, Buffer.concat([HEADER, OPEN, UNKNOWN_PERFORMATIVE]));
    expect(decodeError.toString('latin1')).to.include('amqp:decode-error');
    const http = await rawExchange(peer.listening.port, Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(http.toString('latin1')).to.not.include('HTTP');
    expect(await firstValueFrom(b.send({ address: peer.address('after-garbage'), body: 'still here' }))).to.deep.equal({ outcome: 'accepted' });
  });

  it('stops listening and closes accepted connections when unsubscribed, releasing what the subscriber held', async () => {
    const peer = await listen(a);
    const c = await clients.connect({ port: peer.listening.port });
    const closedBy = new Promise<string | undefined>((resolve) =>
      c.on(ConnectionEvents.connectionError, (ctx: EventContext) => resolve((ctx.connection.error as { condition?: string } | undefined)?.condition)),
    );
    const tracker = firstValueFrom(b.send({ address: peer.address('held'), body: 'held' }));
    await peer.log.count(1, 'the held message');
    peer.subscription.unsubscribe();
    expect(await within(tracker, 'the held message to be released')).to.deep.equal({ outcome: 'released' });
    expect(await within(closedBy, 'the peer connection to be closed')).to.equal('amqp:connection:forced');
    await until(() => !c.isOpen(), 'the raw connection to close');
    // the port is free again: a new listener can take it
    const again = await listen(a, undefined, { url: `amqp://~127.0.0.1:${peer.listening.port}` });
    expect(again.listening.port).to.equal(peer.listening.port);
  });

  it('requires SASL PLAIN with the user of a listen address that names one', async () => {
    const peer = await listen(a, settleBySubject, { url: 'amqp://alice:s3cret@~127.0.0.1:0' });
    const port = peer.listening.port;
    expect(await firstValueFrom(b.send({ address: `amqp://alice:s3cret@127.0.0.1:${port}/secure`, body: 'ok' }))).to.deep.equal({ outcome: 'accepted' });
    // one transport per (scheme, host, port, user): the password of its first use stays
    expect(await firstValueFrom(b.send({ address: `amqp://alice:other@127.0.0.1:${port}/secure`, body: 'same transport' }))).to.deep.equal({ outcome: 'accepted' });
    const fresh = createMessenger();
    try {
      const wrong = await rejection(firstValueFrom(fresh.send({ address: `amqp://alice:wrong@127.0.0.1:${port}/secure`, body: 'no' })), 'a send with the wrong password', 10_000);
      expect(isMessagingError(wrong, 'AuthenticationFailed'), String(wrong)).to.equal(true);
    } finally {
      await fresh.close();
    }
    const mallory = await rejection(firstValueFrom(b.send({ address: `amqp://mallory:s3cret@127.0.0.1:${port}/secure`, body: 'no' })), 'a send as an unknown user', 10_000);
    expect(isMessagingError(mallory, 'AuthenticationFailed'), String(mallory)).to.equal(true);
    expect(b.hosts()).to.deep.equal([`amqp://alice@127.0.0.1:${port}`, `amqp://mallory@127.0.0.1:${port}`]);
    expect(peer.log.bodies).to.deep.equal(['ok', 'same transport']);
  });

  it('errors with ListenFailed when the port is taken', async () => {
    const peer = await listen(a);
    const second = createMessenger();
    try {
      const error = await rejection(listen(second, undefined, { url: `amqp://~127.0.0.1:${peer.listening.port}` }), 'a second listener on the same port');
      expect(error).to.be.instanceOf(ListenFailed);
    } finally {
      await second.close();
    }
  });

  it('on close, completes listening subscriptions, frees the port and refuses new subscriptions', async () => {
    const peer = await listen(a);
    let completed = false;
    peer.subscription.add(() => (completed = true));
    await within(a.close(), 'the messenger to close');
    expect(completed).to.equal(true);
    expect(await portOpen(peer.listening.port)).to.equal(false);
    const error = await rejection(firstValueFrom(a.subscribe('amqp://~127.0.0.1:0')), 'a subscription after close');
    expect(error).to.be.instanceOf(TransportClosed);
    expect(await rejection(firstValueFrom(a.send({ address: peer.address('x'), body: 1 })), 'a send after close')).to.be.instanceOf(TransportClosed);
  });
});
