/**
 * RPC interop with real Python oslo.messaging 14.0.3 (its AMQP 1.0 driver), both directions,
 * through every intermediary the Python driver can use: oslo's FakeBroker (broker and router
 * personalities), the Qpid Proton C++ broker and the embedded intermediary (both personalities).
 */
import { expect } from 'chai';
import { type Subscription, firstValueFrom, lastValueFrom, map, mergeMap, range, timer, toArray } from 'rxjs';
import {
  type Endpoint,
  RemoteError,
  RpcClient,
  type Transport,
  createTransport,
  dispatch,
  isMessagingError,
  rpcServer,
} from '../../lib';
import { interopIntermediaries } from './intermediaries';
import { uniqueName, within } from '../support/wait';
import { tracedSpanKinds, useInMemoryTracing } from '../support/in-memory-tracing';
import { type PythonOutcome, type PythonRpcServer, runPythonClient, startPythonServer } from './python-peer';

/** `fanoutToAll` is false on queue-only brokers (the Proton example broker): a fanout cast reaches one server. */
const INTERMEDIARIES = interopIntermediaries<{ readonly fanoutToAll: boolean }>({
  fakebroker: { fanoutToAll: true },
  fakerouter: { fanoutToAll: true },
  proton: { fanoutToAll: false },
  'embedded-broker': { fanoutToAll: true },
  'embedded-router': { fanoutToAll: true },
});

const POLL_MS = 50;

/** Polls `probe` until `done(value)` or `ms` pass; returns the last value (assert on it). */
async function pollUntil<T>(probe: () => Promise<T>, done: (value: T) => boolean, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  let value = await probe();
  while (!done(value) && Date.now() < until) {
    await firstValueFrom(timer(POLL_MS));
    value = await probe();
  }
  return value;
}

/** A JS error that names no Python class: it crosses as `oslo_rx.QuotaExceeded`. */
class QuotaExceeded extends Error {
  override readonly name = 'QuotaExceeded';
}

/** The oslo-rx endpoint Python clients call. */
class NodeEndpoint {
  readonly recorded: unknown[] = [];
  constructor(private readonly server: string) {}
  whoami() {
    return this.server;
  }
  types() {
    return { dict: { k: 'v', nested: [1, 'two', null] }, list: [1, 'a', null], int: 42, float: 1.5, str: 'héllo ☃', none: null, bool: true };
  }
  nothing() {
    return undefined;
  }
  echo(_ctx: unknown, args: unknown) {
    return args;
  }
  context(ctx: unknown) {
    return ctx;
  }
  fail_value(_ctx: unknown, { msg }: { msg: string }) {
    throw Object.assign(new Error(msg), { pythonClass: 'ValueError', pythonModule: 'builtins' });
  }
  fail_plain(_ctx: unknown, { msg }: { msg: string }) {
    throw new QuotaExceeded(msg);
  }
  record(_ctx: unknown, { value }: { value: unknown }) {
    this.recorded.push(value);
  }
  async slow(_ctx: unknown, { seconds }: { seconds: number }) {
    await firstValueFrom(timer(seconds * 1000));
    return `slept ${seconds}`;
  }
}

/** The namespaced, versioned oslo-rx endpoint. */
const nsEndpoint: Endpoint = {
  target: { namespace: 'ns1', version: '2.3' },
  ns_version: () => 'ns1-2.3',
} as Endpoint;

/** The error a Python client printed (fails when it printed a result). */
function pythonError(outcome: PythonOutcome) {
  expect(outcome.error, `expected an error, got ${JSON.stringify(outcome)}`).to.not.equal(undefined);
  return outcome.error!;
}

/** The result a Python client printed (fails when it printed an error). */
function pythonResult(outcome: PythonOutcome): Extract<PythonOutcome, { error?: undefined }> {
  if (outcome.error !== undefined) expect.fail(`expected a result, got ${JSON.stringify(outcome)}`);
  return outcome;
}

/** The error an Observable-returning call failed with. */
async function callError(call: Promise<unknown>): Promise<RemoteError> {
  const error = await call.then(
    (r) => expect.fail(`expected an error, got ${JSON.stringify(r)}`),
    (e: unknown) => e,
  );
  expect(error).to.be.instanceOf(RemoteError);
  return error as RemoteError;
}

for (const intermediary of INTERMEDIARIES) {
  describe(`RPC interop with Python oslo.messaging via ${intermediary.name}`, function () {
    this.timeout(60_000);
    // every exchange below carries oslo-rx's trace context: Python ignores application properties
    const tracing = useInMemoryTracing();

    before(async function () {
      await intermediary.setup(this);
    });
    after(() => intermediary.teardown());

    describe('oslo-rx client → Python server', () => {
      const topic = uniqueName('interop-py');
      const exchange = uniqueName('exchange');
      let servers: PythonRpcServer[] = [];
      let otherExchange: PythonRpcServer | undefined;
      let doomed: PythonRpcServer | undefined;
      let transport: Transport;
      let client: RpcClient;

      /** What Python server `server` recorded from casts. */
      const recorded = (server: string) => firstValueFrom(client.prepare({ server }).call<unknown[]>('recorded'));
      const recordedBy = async (value: string) => {
        const lists = await Promise.all(servers.map((s) => recorded(s.server)));
        return lists.filter((list) => list.includes(value)).length;
      };

      before(async () => {
        const url = intermediary.url();
        [otherExchange, doomed, ...servers] = await Promise.all([
          startPythonServer({ url, topic, server: 'py-x', exchange }),
          // on another topic, so topic calls and casts never reach it
          startPythonServer({ url, topic: `${topic}-doomed`, server: 'py-doomed' }),
          ...['py1', 'py2'].map((server) => startPythonServer({ url, topic, server })),
        ]);
        transport = createTransport(intermediary.url(), { connectionRetryIntervalMaxMs: 2000 });
        client = new RpcClient(transport, { topic }, { timeoutMs: 10_000 });
      });
      after(async () => {
        await transport?.close();
        await Promise.all([...servers, otherExchange, doomed].map((s) => s?.stop()));
      });

      it('calls add and echo and gets their results', async () => {
        expect(await firstValueFrom(client.call('add', { a: 2, b: 3 }))).to.equal(5);
        const payload = { s: 'x', n: 7, f: 2.5, l: [1, 'a', null, true], d: { k: 'v', e: {} }, u: 'héllo ☃', z: null };
        expect(await firstValueFrom(client.call('echo', payload))).to.deep.equal(payload);
      });

      it('round-trips NaN, ±Infinity, -0, a bigint and non-ASCII through Python in the compact JSON form', async () => {
        const payload = { nan: NaN, inf: Infinity, ninf: -Infinity, negzero: -0, u: 'é ☃ 😀', l: [0.1, 1e-7, 2 ** 53 - 1] };
        expect(await firstValueFrom(client.call('echo', payload))).to.deep.equal(payload);
        expect(await firstValueFrom(client.call('echo', { big: 12345678901234567890n }))).to.deep.equal({ big: Number(12345678901234567890n) });
      });

      it('calls echo with pythonExactJson (the byte form of Python json.dumps) and gets the same values', async () => {
        const exact = createTransport(intermediary.url(), { connectionRetryIntervalMaxMs: 2000, pythonExactJson: true });
        try {
          const payload = { s: 'x', f: 2.5, u: 'héllo ☃', nan: NaN, l: [1, 'a', null, true], d: { k: 'v' } };
          expect(await firstValueFrom(new RpcClient(exact, { topic }, { timeoutMs: 10_000 }).call('echo', payload))).to.deep.equal(payload);
        } finally {
          await exact.close();
        }
      });

      it('round-trips the request context', async () => {
        const context = { user_id: 'u1', project_id: 'p1', roles: ['admin', 'member'], is_admin: false, request_id: 'req-1' };
        expect(await firstValueFrom(client.call('context', {}, context))).to.deep.equal(context);
      });

      it('gets a Python ValueError as RemoteError (builtins.ValueError) with its message and traceback', async () => {
        const error = await callError(firstValueFrom(client.call('raise_value_error', { msg: 'bad value 42' })));
        expect(error.className).to.equal('ValueError');
        expect(error.module).to.equal('builtins');
        expect(error.remoteMessage).to.equal('bad value 42');
        expect(error.traceback.join('')).to.include('raise ValueError(msg)');
      });

      it('gets NoSuchMethod for an unknown method', async () => {
        const error = await callError(firstValueFrom(client.call('nosuch')));
        expect(error.className).to.equal('NoSuchMethod');
        expect(error.module).to.equal('oslo_messaging.rpc.dispatcher');
        expect(error.remoteMessage).to.equal('Endpoint does not support RPC method nosuch');
      });

      it('reaches the ns1/2.3 endpoint by namespace and version, and gets UnsupportedVersion for 3.0', async () => {
        for (const version of ['2.3', '2.0']) {
          expect(await firstValueFrom(client.prepare({ namespace: 'ns1', version }).call('ns_version')), version).to.equal('ns1-2.3');
        }
        const unsupported = await callError(firstValueFrom(client.prepare({ namespace: 'ns1', version: '3.0' }).call('ns_version')));
        expect(unsupported.className).to.equal('UnsupportedVersion');
        expect(unsupported.module).to.equal('oslo_messaging.rpc.dispatcher');
        expect(unsupported.remoteMessage).to.include('3.0');
        // without the namespace only the default endpoint is compatible, and it lacks the method
        expect((await callError(firstValueFrom(client.call('ns_version')))).className).to.equal('NoSuchMethod');
      });

      it('casts to one Python server of the topic', async () => {
        const value = uniqueName('cast');
        await within(lastValueFrom(client.cast('record', { value }), { defaultValue: undefined }), 'the cast to be sent');
        expect(await pollUntil(() => recordedBy(value), (n) => n >= 1)).to.equal(1);
      });

      it(`fanout cast reaches ${intermediary.fanoutToAll ? 'both Python servers' : 'one Python server (a fanout address is a queue there)'}`, async () => {
        const value = uniqueName('fanout');
        await within(lastValueFrom(client.prepare({ fanout: true }).cast('record', { value }), { defaultValue: undefined }), 'the fanout cast');
        const want = intermediary.fanoutToAll ? 2 : 1;
        expect(await pollUntil(() => recordedBy(value), (n) => n >= want)).to.equal(want);
      });

      it('calls the server of another exchange, and only that one', async () => {
        const other = client.prepare({ exchange });
        for (let i = 0; i < 3; i++) expect(await firstValueFrom(other.call('whoami'))).to.equal('py-x');
        // the same server name on the default exchange is nobody
        const nobody = await firstValueFrom(client.prepare({ server: 'py-x', timeoutMs: 1500 }).call('whoami')).catch((e: unknown) => e);
        expect(isMessagingError(nobody, 'MessagingTimeout') || isMessagingError(nobody, 'MessageDeliveryFailure'), String(nobody)).to.equal(true);
      });

      it('keeps a 4 s call alive with a 2 s call monitor (Python heartbeats)', async () => {
        const monitored = client.prepare({ callMonitorTimeoutMs: 2000, timeoutMs: 20_000 });
        expect(await firstValueFrom(monitored.call('slow', { seconds: 4 }))).to.equal('slept 4');
      });

      it('answers 200 concurrent calls from one client with the right results', async () => {
        const results = await lastValueFrom(
          range(0, 200).pipe(
            mergeMap((i) => client.call<number>('add', { a: i, b: 1000 }).pipe(map((sum) => sum - i))),
            toArray(),
          ),
        );
        expect(results).to.have.length(200);
        expect(results.every((r) => r === 1000)).to.equal(true);
      });

      it('fails a monitored call soon after its Python server dies mid-call (heartbeats stop)', async () => {
        const monitored = new RpcClient(transport, { topic: `${topic}-doomed`, server: 'py-doomed' }, { callMonitorTimeoutMs: 2000, timeoutMs: 30_000 });
        const started = Date.now();
        const outcome = firstValueFrom(monitored.call('slow', { seconds: 25 })).catch((e: unknown) => e);
        // still running after 1.5 monitor periods: heartbeats are arriving
        const early = await Promise.race([outcome, firstValueFrom(timer(3000)).then(() => 'pending')]);
        expect(early, 'the call is still running').to.equal('pending');
        await doomed!.kill();
        const error = await within(outcome, 'the call monitor to fail the call', 10_000);
        expect(isMessagingError(error, 'MessagingTimeout'), String(error)).to.equal(true);
        expect(String(error)).to.include('call monitor');
        expect(Date.now() - started).to.be.lessThan(10_000);
      });
    });

    describe('Python client → oslo-rx server', () => {
      const topic = uniqueName('interop-rx');
      const endpoints = { s1: new NodeEndpoint('s1'), s2: new NodeEndpoint('s2') };
      const subscriptions: Subscription[] = [];
      let transport: Transport;
      const py = (options: Omit<Parameters<typeof runPythonClient>[0], 'url' | 'topic'>) =>
        runPythonClient({ url: intermediary.url(), topic, ...options });
      const recordedBy = (value: string) => Object.values(endpoints).filter((e) => e.recorded.includes(value)).length;
      const exchange = uniqueName('exchange');

      before(async () => {
        transport = createTransport(intermediary.url(), { connectionRetryIntervalMaxMs: 2000 });
        for (const [server, endpoint] of Object.entries(endpoints)) {
          subscriptions.push(rpcServer(transport, { topic, server }).pipe(dispatch([endpoint, nsEndpoint])).subscribe());
        }
        subscriptions.push(rpcServer(transport, { topic, server: 's-x', exchange }).pipe(dispatch([new NodeEndpoint('s-x')])).subscribe());
        // both servers answer: their links are attached
        const client = new RpcClient(transport, { topic }, { timeoutMs: 10_000 });
        for (const server of Object.keys(endpoints)) {
          expect(await firstValueFrom(client.prepare({ server }).call('whoami'))).to.equal(server);
        }
        expect(await firstValueFrom(client.prepare({ server: 's-x', exchange }).call('whoami'))).to.equal('s-x');
      });
      after(async () => {
        subscriptions.splice(0).forEach((s) => s.unsubscribe());
        await transport?.close();
      });

      it('returns dict, list, int, float, str, bool and None results as Python types', async () => {
        const types = pythonResult(await py({ method: 'types' }));
        expect(types.result).to.deep.equal(new NodeEndpoint('x').types());
        expect(types.types).to.deep.equal({
          type: 'dict',
          items: { dict: 'dict', list: 'list', int: 'int', float: 'float', str: 'str', none: 'NoneType', bool: 'bool' },
        });
        const nothing = pythonResult(await py({ method: 'nothing' }));
        expect(nothing.result).to.equal(null);
        expect(nothing.types).to.deep.equal({ type: 'NoneType' });
        const echo = pythonResult(await py({ method: 'echo', args: { a: [1, 2], b: 'x' }, context: { user_id: 'u1', roles: ['r'] } }));
        expect(echo.result).to.deep.equal({ a: [1, 2], b: 'x' });
      });

      it('passes the Python request context to the endpoint', async () => {
        const context = { user_id: 'u1', project_id: 'p1', roles: ['admin'], is_admin: true };
        expect(pythonResult(await py({ method: 'context', context })).result).to.deep.equal(context);
      });

      it('raises an endpoint error marked builtins.ValueError as ValueError in Python', async () => {
        const error = pythonError(await py({ method: 'fail_value', args: { msg: 'bad size 7' } }));
        expect(error.type).to.equal('ValueError');
        expect(error.module).to.equal('builtins');
        // oslo appends the remote traceback to a rebuilt builtin exception's message
        expect(error.str.split('\n')[0]).to.equal('bad size 7');
      });

      it('raises a plain JS error as oslo_messaging RemoteError named after the error', async () => {
        const error = pythonError(await py({ method: 'fail_plain', args: { msg: 'too many widgets' } }));
        expect(error.type).to.equal('RemoteError');
        expect(error.module).to.equal('oslo_messaging.rpc.client');
        expect(error.exc_type).to.equal('QuotaExceeded');
        expect(error.value).to.equal('too many widgets');
      });

      it('answers an unknown method with NoSuchMethod (a RemoteError in Python, as from a Python server)', async () => {
        const error = pythonError(await py({ method: 'nosuch' }));
        expect(error.type).to.equal('RemoteError');
        expect(error.exc_type).to.equal('NoSuchMethod');
        expect(error.value).to.equal('Endpoint does not support RPC method nosuch');
      });

      it('serves namespace ns1 version 2.3 and refuses version 3.0 with UnsupportedVersion', async () => {
        expect(pythonResult(await py({ method: 'ns_version', namespace: 'ns1', version: '2.1' })).result).to.equal('ns1-2.3');
        const error = pythonError(await py({ method: 'ns_version', namespace: 'ns1', version: '3.0' }));
        expect(error.type).to.equal('RemoteError');
        expect(error.exc_type).to.equal('UnsupportedVersion');
      });

      it('receives a Python cast on one server', async () => {
        const value = uniqueName('pycast');
        expect(pythonResult(await py({ method: 'record', args: { value }, cast: true })).result).to.equal(null);
        expect(await pollUntil(async () => recordedBy(value), (n) => n >= 1)).to.equal(1);
      });

      it(`receives a Python fanout cast on ${intermediary.fanoutToAll ? 'both servers' : 'one server (a fanout address is a queue there)'}`, async () => {
        const value = uniqueName('pyfanout');
        pythonResult(await py({ method: 'record', args: { value }, cast: true, fanout: true }));
        const want = intermediary.fanoutToAll ? 2 : 1;
        expect(await pollUntil(async () => recordedBy(value), (n) => n >= want)).to.equal(want);
      });

      it('serves a Python call to one named server', async () => {
        for (const server of ['s1', 's2']) expect(pythonResult(await py({ method: 'whoami', server })).result).to.equal(server);
      });

      it('serves a Python call on another exchange', async () => {
        expect(pythonResult(await py({ method: 'whoami', exchange })).result).to.equal('s-x');
      });

      it('keeps a 4 s Python call with a 2 s call monitor alive (oslo-rx heartbeats)', async () => {
        const outcome = pythonResult(await py({ method: 'slow', args: { seconds: 4 }, callMonitorS: 2, timeoutS: 20 }));
        expect(outcome.result).to.equal('slept 4');
      });
    });

    describe('with tracing on throughout', () => {
      it('traced the oslo-rx side of every exchange above', () => {
        expect(tracedSpanKinds(tracing.spans())).to.include.members(['CLIENT', 'PRODUCER', 'SERVER']);
        // Python sends no trace context: its requests start traces here
        expect(tracing.spans().some((s) => tracedSpanKinds([s])[0] === 'SERVER' && s.parentSpanContext === undefined)).to.equal(true);
      });
    });
  });
}
