/**
 * Bad input to a messenger: malformed addresses and options fail with typed errors before
 * anything connects; an unreachable host fails the send at its deadline.
 */
import { expect } from 'chai';
import { firstValueFrom } from 'rxjs';
import { InvalidOption, InvalidTransportURL, MessageDeliveryFailure, type Messenger, MessagingTimeout, createMessenger } from '../../lib';
import { rejection } from '../embedded/intermediary-support';
import { freePort } from '../support/ports';
import { listen } from './messenger-support';

describe('messenger: bad input', function () {
  this.timeout(20_000);
  let m: Messenger;
  beforeEach(() => {
    m = createMessenger();
  });
  afterEach(() => m.close());

  const MALFORMED: ReadonlyArray<readonly [string, string | undefined]> = [
    ['not a URL', 'node'],
    ['http scheme', 'http://127.0.0.1:5672/node'],
    ['a port out of range', 'amqp://127.0.0.1:99999/node'],
    ['two hosts', 'amqp://h1:5672,h2:5672/node'],
    ['no node', 'amqp://127.0.0.1:5672'],
    ['a query', 'amqp://127.0.0.1:5672/node?idle_timeout=3'],
    ['a listen address', 'amqp://~127.0.0.1:5672'],
    ['no address at all', undefined],
  ];

  for (const [what, address] of MALFORMED) {
    it(`errors a send to ${what} with InvalidTransportURL, creating no transport`, async () => {
      const error = await rejection(firstValueFrom(m.send({ address, body: 1 })), `a send to ${what}`);
      expect(error).to.be.instanceOf(InvalidTransportURL);
      expect(m.hosts()).to.deep.equal([]);
    });
  }

  it('hides the password of a malformed address in the error', async () => {
    const error = (await rejection(firstValueFrom(m.send({ address: 'amqp://u:secret@h1,h2/node', body: 1 })), 'a send')) as Error;
    expect(error).to.be.instanceOf(InvalidTransportURL);
    expect(error.message).to.not.include('secret');
  });

  for (const [what, address] of [
    ['no node', 'amqp://127.0.0.1:5672'],
    ['a listen address with a node', 'amqp://~127.0.0.1:0/node'],
    ['TLS listening', 'amqps://~127.0.0.1:0'],
    ['a bad port', 'amqp://127.0.0.1:x/node'],
  ] as const) {
    it(`errors a subscription to ${what} with InvalidTransportURL`, async () => {
      expect(await rejection(firstValueFrom(m.subscribe(address)), `a subscription to ${what}`)).to.be.instanceOf(InvalidTransportURL);
      expect(m.hosts()).to.deep.equal([]);
    });
  }

  it('errors a send to an unreachable host with MessagingTimeout at its deadline', async () => {
    const port = await freePort();
    const started = Date.now();
    const error = await rejection(firstValueFrom(m.send({ address: `amqp://127.0.0.1:${port}/nobody`, body: 1 }, { timeoutMs: 800 })), 'a send to nobody');
    const elapsed = Date.now() - started;
    expect(error).to.be.instanceOf(MessagingTimeout);
    expect(elapsed).to.be.within(750, 5000);
  });

  it('applies per-host option overrides on top of the messenger-wide options', async () => {
    const listener = createMessenger();
    try {
      const [strict, lax] = [await listen(listener, (d) => d.accept()), await listen(listener, (d) => d.accept())];
      const per = createMessenger({
        amqp: { maxMessageSize: 10_000 },
        hosts: { [`127.0.0.1:${strict.listening.port}`]: { maxMessageSize: 100 } },
      });
      try {
        const body = 'x'.repeat(1000);
        const refused = await rejection(firstValueFrom(per.send({ address: strict.address('n'), body })), 'a send above the host limit');
        expect(refused).to.be.instanceOf(MessageDeliveryFailure);
        expect(await firstValueFrom(per.send({ address: lax.address('n'), body }))).to.deep.equal({ outcome: 'accepted' });
        const tooBig = await rejection(firstValueFrom(per.send({ address: lax.address('n'), body: 'x'.repeat(20_000) })), 'a send above the messenger-wide limit');
        expect(tooBig).to.be.instanceOf(MessageDeliveryFailure);
        expect(strict.log.received).to.have.length(0);
      } finally {
        await per.close();
      }
    } finally {
      await listener.close();
    }
  });

  it('refuses bad options with InvalidOption', () => {
    expect(() => createMessenger({ outgoingWindow: 0 })).to.throw(InvalidOption, /outgoingWindow/);
    expect(() => createMessenger({ incomingWindow: 1.5 })).to.throw(InvalidOption, /incomingWindow/);
    expect(() => createMessenger({ amqp: { idleTimeoutMs: -1 } })).to.throw(InvalidOption, /idleTimeoutMs/);
    expect(() => createMessenger({ hosts: { 'h:5672': { idleTimeoutMs: -1 } } })).to.throw(InvalidOption, /idleTimeoutMs/);
  });

  it('errors a subscription with a bad credit with InvalidOption', async () => {
    expect(await rejection(firstValueFrom(m.subscribe('amqp://127.0.0.1:5672/n', { credit: 0 })), 'a subscription with credit 0')).to.be.instanceOf(InvalidOption);
  });
});
