/**
 * The core's behaviour under the faults and edge cases of the hardening issue, through the
 * embedded intermediary: unbounded and over-long timeouts, unencodable results, refused and
 * never-credited sender attaches, idle senders, and what a closed transport says.
 */
import { expect } from 'chai';
import { filter, firstValueFrom, lastValueFrom } from 'rxjs';
import { ConnectionLost, MessagingTimeout, RemoteError, RpcClient, TransportClosed, createTransport, dispatch, rpcServer, type Transport } from '../../lib';
import { type EmbeddedIntermediary, startEmbeddedIntermediary } from '../../lib/testing';
import { within } from '../support/wait';

let seq = 0;
const unique = (p: string) => `${p}-${process.pid}-${++seq}`;

for (const mode of ['broker', 'router'] as const) {
  describe(`core hardening (the embedded ${mode})`, () => {
    let intermediary: EmbeddedIntermediary;
    let log: string[];
    const transports: Transport[] = [];
    const open = (options: Parameters<typeof createTransport>[1] = {}) => {
      const t = createTransport(intermediary.url, options);
      transports.push(t);
      return t;
    };

    beforeEach(async () => {
      log = [];
      intermediary = await startEmbeddedIntermediary({ mode, refusePatterns: ['refused.*'], logger: (line) => log.push(line) });
    });
    afterEach(async () => {
      await Promise.all(transports.splice(0).map((t) => t.close()));
      await intermediary.stop();
    });

    function serve(t: Transport, topic: string, endpoint: object) {
      const sub = rpcServer(t, { topic, server: 's1' }).pipe(dispatch([endpoint])).subscribe();
      return sub;
    }

    for (const timeoutMs of [Infinity, 2 ** 31 + 5000]) {
      it(`a call with timeoutMs ${timeoutMs} waits for its reply instead of failing at once`, async () => {
        const t = open();
        const topic = unique('long');
        const sub = serve(t, topic, { add: (_c: unknown, a: { a: number; b: number }) => a.a + a.b });
        const client = new RpcClient(t, { topic }, { timeoutMs });
        expect(await within(firstValueFrom(client.call<number>('add', { a: 1, b: 2 })), 'the reply')).to.equal(3);
        sub.unsubscribe();
      });
    }

    it('a BigInt result crosses as an integer (as Python would send an int)', async () => {
      const t = open();
      const topic = unique('bigint');
      const sub = serve(t, topic, { big: () => 10n });
      expect(await within(firstValueFrom(new RpcClient(t, { topic }).call('big')), 'the reply')).to.equal(10);
      sub.unsubscribe();
    });

    for (const [what, value] of [
      ['a circular object', () => {
        const o: Record<string, unknown> = { a: 1 };
        o.self = o;
        return o;
      }],
      ['an object with a BigInt in a Map', () => ({ m: new Map([['k', 1n]]), toJSON: undefined, x: { toJSON: () => { throw new Error('no JSON for me'); } } })],
    ] as const) {
      it(`an endpoint returning ${what} fails the call at once with a TypeError, and the server goes on`, async () => {
        const t = open();
        const topic = unique('unencodable');
        const sub = serve(t, topic, { bad: value, good: () => 'ok' });
        const client = new RpcClient(t, { topic }, { timeoutMs: 15_000 });
        const started = Date.now();
        const error = await within(firstValueFrom(client.call('bad')).catch((e: unknown) => e), 'the failure', 5000);
        expect(error).to.be.instanceOf(RemoteError);
        expect((error as RemoteError).className).to.equal('TypeError');
        expect((error as RemoteError).message).to.match(/cannot be encoded/);
        expect(Date.now() - started).to.be.below(5000);
        expect(await firstValueFrom(client.call('good'))).to.equal('ok');
        sub.unsubscribe();
      });
    }

    it('fails a send at once when the intermediary refuses its link for good (unauthorized)', async () => {
      const t = open({ linkRetryDelayMs: 1000 });
      const started = Date.now();
      const error = await firstValueFrom(t.send('refused.q', { body: 'x' }, { timeoutMs: 10_000 })).catch((e: unknown) => e);
      expect((error as { code?: string }).code).to.equal('LinkRefused');
      expect(Date.now() - started).to.be.below(2000);
      expect(log.filter((l) => /link refused/.test(l))).to.have.length(1);
    });

    if (mode === 'broker') {
      it('waits linkRetryDelayMs between attaches refused with amqp:not-found, instead of looping', async () => {
        const t = open({ linkRetryDelayMs: 1000 });
        // a dynamic node that is gone: the broker refuses links to it with amqp:not-found
        const { address } = await firstValueFrom(t.receiverLinks({ dynamic: true, credit: 1 }));
        await t.close();
        const t2 = open({ linkRetryDelayMs: 1000 });
        const error = await firstValueFrom(t2.send(address, { body: 'x' }, { timeoutMs: 2500 })).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(MessagingTimeout);
        const refusals = log.filter((l) => /link refused: amqp:not-found/.test(l)).length;
        // one attach, then one after each 1-1.2 s delay: 2 or 3 in 2.5 s (it was thousands)
        expect(refusals).to.be.within(2, 3);
      });
    }

    it('ready() waiting for a connection rejects with TransportClosed when the transport is closed', async () => {
      const port = intermediary.port;
      await intermediary.stop();
      const t = createTransport(`amqp://127.0.0.1:${port}`, { connectionRetryIntervalMs: 1000 });
      const waiting = t.ready().catch((e: unknown) => e);
      await firstValueFrom(t.state$.pipe(filter((s) => s.state === 'disconnected')));
      await t.close();
      expect(await within(waiting, 'ready() to settle')).to.be.instanceOf(TransportClosed);
      expect(await t.ready().catch((e: unknown) => e)).to.be.instanceOf(TransportClosed);
      intermediary = await startEmbeddedIntermediary({ mode });
    });

    it('detaches a sender that has been idle for defaultSenderLinkTimeoutMs', async () => {
      const t = open({ defaultSenderLinkTimeoutMs: 1000 });
      const topic = unique('idle');
      const sub = serve(t, topic, { ping: () => 'pong' });
      const client = new RpcClient(t, { topic });
      await firstValueFrom(client.call('ping'));
      const c = await t.ready();
      expect(c.senderCount, 'the request sender and the reply sender').to.be.at.least(1);
      const detached = () => log.filter((l) => /producer detached/.test(l)).length;
      const before = detached();
      const deadline = Date.now() + 5000;
      while (c.senderCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(c.senderCount).to.equal(0);
      expect(detached()).to.be.above(before);
      // and sending again attaches a new one
      expect(await firstValueFrom(client.call('ping'))).to.equal('pong');
      sub.unsubscribe();
    });

    if (mode === 'router') {
      it('an attach that never gets credit is made once for all sends and ended by close()', async () => {
        const t = open();
        for (let i = 0; i < 3; i++) {
          const e = await firstValueFrom(t.send('nobody-listens', { body: 'x' }, { timeoutMs: 300 })).catch((x: unknown) => x);
          expect(e).to.be.instanceOf(MessagingTimeout);
        }
        expect(log.filter((l) => /producer attached to nobody-listens/.test(l)).length, 'one cached attach, not one per send').to.equal(1);
        await t.close();
        expect(log.filter((l) => /producer detached from nobody-listens/.test(l)).length, 'the attach is ended with its session').to.be.at.most(1);
      });

      it('a call whose request was written but not settled when the connection drops fails at once with an in-doubt ConnectionLost', async () => {
        const t = open({ connectionRetryIntervalMs: 1000 });
        const topic = unique('indoubt');
        // a server that never answers and never settles: the router holds the call's transfer
        const server = createTransport(intermediary.url);
        transports.push(server);
        const held: unknown[] = [];
        const sub = rpcServer(server, { topic, server: 's1' }).subscribe((r) => held.push(r));
        await server.ready();
        const client = new RpcClient(t, { topic, server: 's1' }, { timeoutMs: 20_000 });
        const call = firstValueFrom(client.call('slow')).catch((e: unknown) => e);
        const deadline = Date.now() + 5000;
        while (held.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        expect(held).to.have.length(1);
        const started = Date.now();
        await intermediary.stop();
        const error = await within(call, 'the call to end', 5000);
        expect(error).to.be.instanceOf(ConnectionLost);
        expect((error as ConnectionLost).inDoubt).to.equal(true);
        expect((error as ConnectionLost).retryable).to.equal(true);
        expect(Date.now() - started).to.be.below(3000);
        sub.unsubscribe();
      });
    }

    it('close() completes a server stream, and a call waiting for its reply ends with TransportClosed', async () => {
      const t = open();
      const topic = unique('closing');
      let completed = false;
      rpcServer(t, { topic, server: 's1' }).subscribe({ complete: () => (completed = true) });
      const client = new RpcClient(t, { topic, server: 's1' }, { timeoutMs: 20_000 });
      await t.ready();
      const call = lastValueFrom(client.call('never')).catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 200));
      await t.close();
      expect(completed).to.equal(true);
      expect(await within(call, 'the call to end')).to.be.instanceOf(TransportClosed);
    });
  });
}
