/**
 * RPC scenarios, run against every intermediary oslo-rx-to-oslo-rx RPC works on.
 */
import { expect } from 'chai';
import { type Subscription, firstValueFrom, lastValueFrom, mergeMap, range, tap, toArray, timer, map } from 'rxjs';
import {
  type AmqpOptions,
  IncomingRequest,
  MessagingTimeout,
  NoSuchMethod,
  RemoteError,
  RpcClient,
  type Transport,
  UnsupportedVersion,
  createTransport,
  dispatch,
  isMessagingError,
  rpcServer,
} from '../../lib';
import { createAddresser } from '../../lib/addressing';
import * as t from 'io-ts';
import { uniqueName, within } from './wait';

/** How a suite reaches one intermediary for RPC. */
export interface RpcFixture {
  /** Suite title. */
  readonly name: string;
  /** Starts or checks the intermediary (may skip outside CI). */
  setup(ctx: Mocha.Context): Promise<void>;
  /** Clean-up. */
  teardown?(): Promise<void>;
  /** The transport URL. */
  url(): string;
  /** Extra transport options (e.g. addressing for RabbitMQ). */
  readonly options?: Partial<AmqpOptions>;
  /** True when fanout reaches every server (false on queue-only brokers like the Proton example broker). */
  readonly fanoutToAll: boolean;
  /** True when a requeued request is delivered again (stores and redelivers). */
  readonly redeliversRequeued: boolean;
}

class Calculator {
  constructor(private readonly name: string) {}
  add(_ctx: unknown, { a, b }: { a: number; b: number }) {
    return a + b;
  }
  whoami() {
    return this.name;
  }
  async slow(_ctx: unknown, { ms }: { ms: number }) {
    await new Promise((r) => setTimeout(r, ms));
    return 'done';
  }
  fail(_ctx: unknown, { message }: { message: string }) {
    throw Object.assign(new Error(message), { pythonClass: 'ValueError', pythonModule: 'builtins' });
  }
  context(ctx: unknown) {
    return ctx;
  }
  _private() {
    return 'never';
  }
}

/** Registers the RPC scenarios for `fixture`. */
export function rpcScenarios(fixture: RpcFixture): void {
  describe(`RPC on ${fixture.name}`, function () {
    this.timeout(60_000);
    let transport: Transport;
    const servers: Subscription[] = [];
    let topic: string;

    /** Starts server `server` of the topic; `ready(server)` tells when its links are attached. */
    function serve(server: string, endpoints: object[] = [new Calculator(server)], seen?: IncomingRequest[]) {
      servers.push(
        rpcServer(transport, { topic, server })
          .pipe(
            tap((r) => seen?.push(r)),
            dispatch(endpoints),
          )
          .subscribe(),
      );
    }

    /** Waits until `server` answers (its links are attached). */
    async function ready(server: string) {
      const client = new RpcClient(transport, { topic, server }, { timeoutMs: 10_000 });
      expect(await firstValueFrom(client.call('whoami'))).to.equal(server);
    }

    before(async function () {
      await fixture.setup(this);
    });
    beforeEach(async () => {
      transport = createTransport(fixture.url(), { connectionRetryIntervalMaxMs: 2000, ...fixture.options });
      topic = uniqueName('rpc');
    });
    afterEach(async () => {
      servers.splice(0).forEach((s) => s.unsubscribe());
      await transport.close();
    });
    after(async () => {
      await fixture.teardown?.();
    });

    it('calls a method and gets its result', async () => {
      serve('s1');
      await ready('s1');
      const client = new RpcClient(transport, { topic });
      expect(await firstValueFrom(client.call<number>('add', { a: 2, b: 3 }))).to.equal(5);
      expect(await firstValueFrom(client.call('context', {}, { user_id: 'u1', roles: ['admin'] }))).to.deep.equal({
        user_id: 'u1',
        roles: ['admin'],
      });
    });

    it('casts, and the server runs the method without replying', async () => {
      const seen: IncomingRequest[] = [];
      serve('s1', undefined, seen);
      await ready('s1');
      const client = new RpcClient(transport, { topic });
      await within(lastValueFrom(client.cast('add', { a: 1, b: 1 }), { defaultValue: undefined }), 'the cast to be sent');
      const until = Date.now() + 10_000;
      while (!seen.some((r) => r.method === 'add') && Date.now() < until) await firstValueFrom(timer(20));
      const cast = seen.find((r) => r.method === 'add')!;
      expect(cast, 'the server received the cast').to.not.equal(undefined);
      expect(cast.isCall).to.equal(false);
    });

    it('sends a call to one named server', async () => {
      serve('s1');
      serve('s2');
      await ready('s1');
      await ready('s2');
      const client = new RpcClient(transport, { topic });
      for (let i = 0; i < 4; i++) {
        expect(await firstValueFrom(client.prepare({ server: 's2' }).call('whoami'))).to.equal('s2');
      }
    });

    it('shares topic calls between two servers (round robin)', async () => {
      serve('s1');
      serve('s2');
      await ready('s1');
      await ready('s2');
      const client = new RpcClient(transport, { topic });
      const names = await lastValueFrom(range(0, 20).pipe(mergeMap(() => client.call<string>('whoami'), 1), toArray()));
      expect(new Set(names)).to.deep.equal(new Set(['s1', 's2']));
    });

    it(`fanout cast reaches ${fixture.fanoutToAll ? 'every server' : 'a server'}`, async () => {
      const seen1: IncomingRequest[] = [];
      const seen2: IncomingRequest[] = [];
      serve('s1', undefined, seen1);
      serve('s2', undefined, seen2);
      await ready('s1');
      await ready('s2');
      const client = new RpcClient(transport, { topic });
      await within(lastValueFrom(client.prepare({ fanout: true }).cast('add', { a: 0, b: 0 }), { defaultValue: undefined }), 'the fanout cast');
      const got = () => [seen1, seen2].filter((s) => s.some((r) => r.method === 'add')).length;
      const want = fixture.fanoutToAll ? 2 : 1;
      const until = Date.now() + 10_000;
      while (got() < want && Date.now() < until) await firstValueFrom(timer(20));
      expect(got()).to.equal(want);
    });

    it('reports a remote exception as RemoteError with the class the server named', async () => {
      serve('s1');
      await ready('s1');
      const client = new RpcClient(transport, { topic });
      const error = await firstValueFrom(client.call('fail', { message: 'bad value' })).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(RemoteError);
      expect((error as RemoteError).className).to.equal('ValueError');
      expect((error as RemoteError).module).to.equal('builtins');
      expect((error as RemoteError).remoteMessage).to.equal('bad value');
      expect((error as RemoteError).traceback.length).to.be.greaterThan(0);
    });

    it('answers unknown and private methods with NoSuchMethod, and wrong versions with UnsupportedVersion', async () => {
      serve('s1');
      await ready('s1');
      const client = new RpcClient(transport, { topic });
      for (const m of ['nosuch', '_private', 'constructor']) {
        const e = (await firstValueFrom(client.call(m)).catch((x: unknown) => x)) as RemoteError;
        expect(e.className, m).to.equal('NoSuchMethod');
        expect(e.module).to.equal('oslo_messaging.rpc.dispatcher');
      }
      const v = (await firstValueFrom(client.prepare({ version: '2.0' }).call('add', { a: 1, b: 1 })).catch((x: unknown) => x)) as RemoteError;
      expect(v.className).to.equal('UnsupportedVersion');
      expect(new NoSuchMethod('x')).to.be.instanceOf(Error);
      expect(new UnsupportedVersion('2.0')).to.be.instanceOf(Error);
    });

    it('rejects malformed requests with an AMQP error and keeps serving', async () => {
      serve('s1');
      await ready('s1');
      const c = await transport.ready();
      const address = createAddresser(transport.options, c.remoteProperties, transport.url.virtualHost).unicast({ topic, server: 's1' }, 'rpc');
      const garbage = [
        { body: 'not json at all' },
        { body: { request: { method: 'add' } } }, // an AMQP map, which Python's server chokes on
        { body: '{"request": {"args": {}}, "context": {}}' }, // no method
        { body: '{"request": {"method": 5, "args": []}}' },
      ];
      const outcomes = await Promise.all(garbage.map((m) => firstValueFrom(transport.send(address, m))));
      // a broker takes the message (accepted); a router hands back the server's own rejection
      for (const o of outcomes) {
        expect(['accepted', 'rejected']).to.include(o.outcome);
        if (o.outcome === 'rejected') expect(o.condition).to.equal('amqp:decode-error');
      }
      const client = new RpcClient(transport, { topic, server: 's1' });
      expect(await firstValueFrom(client.call<number>('add', { a: 40, b: 2 }))).to.equal(42);
    });

    it('refuses an oversize message with a typed error instead of sending it', async () => {
      const small = createTransport(fixture.url(), { ...fixture.options, maxMessageSize: 1024 });
      try {
        const client = new RpcClient(small, { topic }, { timeoutMs: 5000 });
        const error = await firstValueFrom(client.call('echo', { blob: 'x'.repeat(4096) })).catch((e: unknown) => e);
        expect(isMessagingError(error, 'MessageDeliveryFailure'), String(error)).to.equal(true);
        expect((error as Error).message).to.match(/exceeds the 1024-byte limit/);
      } finally {
        await small.close();
      }
    });

    it('validates arguments and results with per-method io-ts codecs', async () => {
      const Args = t.type({ a: t.number, b: t.number });
      servers.push(
        rpcServer(transport, { topic, server: 'typed' })
          .pipe(
            dispatch([{ whoami: () => 'typed', add: (_c: unknown, { a, b }: { a: number; b: number }) => a + b, bad: () => 'not a number' }], {
              codecs: { add: { args: Args, result: t.number }, bad: { result: t.number } },
            }),
          )
          .subscribe(),
      );
      await ready('typed');
      const client = new RpcClient(transport, { topic, server: 'typed' });
      expect(await firstValueFrom(client.call<number>('add', { a: 1, b: 2 }))).to.equal(3);
      const wrongArgs = (await firstValueFrom(client.call('add', { a: 1, b: 'two' })).catch((e: unknown) => e)) as RemoteError;
      expect([wrongArgs.className, wrongArgs.module]).to.deep.equal(['ValueError', 'builtins']);
      expect(wrongArgs.remoteMessage).to.match(/invalid arguments for add: b/);
      const wrongResult = (await firstValueFrom(client.call('bad')).catch((e: unknown) => e)) as RemoteError;
      expect(wrongResult.className).to.equal('ValueError');
    });

    it('times out a call nobody answers with MessagingTimeout', async () => {
      const client = new RpcClient(transport, { topic: uniqueName('nobody') }, { timeoutMs: 1500 });
      const started = Date.now();
      const error = await within(firstValueFrom(client.call('add')).catch((e: unknown) => e), 'the timeout', 10_000);
      expect(isMessagingError(error, 'MessagingTimeout') || isMessagingError(error, 'MessageDeliveryFailure'), String(error)).to.equal(true);
      if (isMessagingError(error, 'MessagingTimeout')) expect(error).to.be.instanceOf(MessagingTimeout);
      expect(Date.now() - started).to.be.lessThan(8000);
    });

    it('cancels a call on unsubscribe and drops its late reply', async () => {
      let received!: () => void;
      let replied!: () => void;
      const serverGotIt = new Promise<void>((r) => (received = r));
      const serverReplied = new Promise<void>((r) => (replied = r));
      servers.push(
        rpcServer(transport, { topic, server: 's1' })
          .pipe(
            tap((r) => r.method === 'slow' && received()),
            dispatch([new Calculator('s1')]),
            tap((d) => d.request.method === 'slow' && replied()),
          )
          .subscribe(),
      );
      await ready('s1');
      const client = new RpcClient(transport, { topic });
      const sub = client.call('slow', { ms: 300 }).subscribe({
        next: () => expect.fail('a cancelled call must not emit'),
        error: (e) => expect.fail(`a cancelled call must not error: ${String(e)}`),
      });
      await within(serverGotIt, 'the server to receive the call');
      sub.unsubscribe();
      await within(serverReplied, 'the server to send its (now late) reply');
      // the late reply is settled and dropped; the client keeps working
      expect(await firstValueFrom(client.call<number>('add', { a: 1, b: 2 }))).to.equal(3);
    });

    it('keeps a long call alive with call-monitor heartbeats', async () => {
      serve('s1');
      await ready('s1');
      const client = new RpcClient(transport, { topic }, { callMonitorTimeoutMs: 2000, timeoutMs: 20_000 });
      expect(await firstValueFrom(client.call('slow', { ms: 4500 }))).to.equal('done');
    });

    if (fixture.redeliversRequeued) {
      it('redelivers a requeued request', async () => {
        let attempts = 0;
        servers.push(
          rpcServer(transport, { topic, server: 's1' })
            .pipe(
              tap((r) => {
                if (r.method === 'add' && ++attempts === 1) r.requeue();
              }),
              mergeMap((r) => (r.delivery.disposition ? [] : [r])),
              dispatch([new Calculator('s1')]),
            )
            .subscribe(),
        );
        await ready('s1');
        const client = new RpcClient(transport, { topic });
        expect(await firstValueFrom(client.call<number>('add', { a: 20, b: 22 }))).to.equal(42);
        expect(attempts).to.equal(2);
      });
    }

    it('answers 1000 concurrent calls', async () => {
      serve('s1');
      serve('s2');
      await ready('s1');
      await ready('s2');
      const client = new RpcClient(transport, { topic }, { timeoutMs: 30_000 });
      const results = await lastValueFrom(
        range(0, 1000).pipe(
          mergeMap((i) => client.call<number>('add', { a: i, b: 1 }).pipe(map((r) => r - i))),
          toArray(),
        ),
      );
      expect(results).to.have.length(1000);
      expect(results.every((r) => r === 1)).to.equal(true);
    });
  });
}
