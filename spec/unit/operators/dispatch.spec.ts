import { expect } from 'chai';
import { mock } from 'node:test';
import * as t from 'io-ts';
import { EMPTY, NEVER, Observable, Subject, defer, firstValueFrom, lastValueFrom, of, take, throwError, toArray } from 'rxjs';
import { dispatch, type Dispatched } from '../../../lib/operators/dispatch';
import type { IncomingRequest } from '../../../lib/rpc/incoming-request';
import { InvalidTarget, NoSuchMethod, UnsupportedVersion } from '../../../lib/rpc/errors';

/** What a fake request saw: answers, heartbeats and settlements, in order. */
interface Seen {
  readonly events: string[];
  readonly replies: unknown[];
  readonly failures: unknown[];
  heartbeats: number;
}

interface FakeOptions {
  readonly isCall?: boolean;
  readonly args?: Record<string, unknown>;
  readonly namespace?: string;
  readonly version?: string;
  readonly callMonitorTimeoutMs?: number;
  /** What `reply` does: resolve (default), reject with this error. */
  readonly replyRejects?: Error;
  /** Gate the reply Promise on this (resolved when it resolves). */
  readonly replyGate?: Promise<void>;
}

/** A request that records what dispatch does with it (the first settlement wins, like a delivery). */
function fakeRequest(method: string, o: FakeOptions = {}): { request: IncomingRequest; seen: Seen } {
  const seen: Seen = { events: [], replies: [], failures: [], heartbeats: 0 };
  let settled = false;
  const settle = (how: string) => {
    if (settled) return false;
    settled = true;
    seen.events.push(how);
    return true;
  };
  const isCall = o.isCall ?? true;
  const r = {
    method,
    args: o.args ?? {},
    context: { user: 'u' },
    namespace: o.namespace,
    version: o.version,
    callMonitorTimeoutMs: o.callMonitorTimeoutMs,
    isCall,
    reply: async (result: unknown) => {
      if (!isCall) return;
      seen.events.push('reply');
      seen.replies.push(result);
      if (o.replyGate) await o.replyGate;
      if (o.replyRejects) throw o.replyRejects;
    },
    fail: (error: unknown) => {
      if (!isCall) return Promise.resolve();
      seen.events.push('fail');
      seen.failures.push(error);
      return Promise.resolve();
    },
    heartbeat: () => {
      seen.heartbeats++;
      return Promise.resolve();
    },
    ack: () => settle('ack'),
    requeue: () => settle('requeue'),
    withTraceContext: <T>(fn: () => T): T => fn(),
    delivery: {
      reject: (c: { condition: string; description?: string }) => settle(`reject ${c.condition}`),
      modify: (m: { deliveryFailed?: boolean }) => settle(`modify${m.deliveryFailed ? ' failed' : ''}`),
    },
  };
  return { request: r as unknown as IncomingRequest, seen };
}

const run = (request: IncomingRequest, endpoints: object[], options?: Parameters<typeof dispatch>[1]) =>
  lastValueFrom(of(request).pipe(dispatch(endpoints, options)));

class Calculator {
  readonly target = { version: '1.3' };
  constructor(private readonly offset: number) {}
  add(_ctx: unknown, { a, b }: { a: number; b: number }) {
    return a + b + this.offset;
  }
}

class Scientific extends Calculator {
  pow(_ctx: unknown, { a, b }: { a: number; b: number }) {
    return a ** b;
  }
}

describe('dispatch', () => {
  describe('results', () => {
    it('replies with a plain value, emits replied, then acks', async () => {
      const { request, seen } = fakeRequest('add', { args: { a: 1, b: 2 } });
      const done = await run(request, [{ add: (_c: unknown, { a, b }: { a: number; b: number }) => a + b }]);
      expect(done).to.deep.equal({ request, outcome: 'replied', result: 3 });
      expect(seen.events).to.deep.equal(['reply', 'ack']);
      expect(seen.replies).to.deep.equal([3]);
    });

    it('passes the context and args, and calls methods of class instances (prototype, inherited) with their this', async () => {
      const seenCtx: unknown[] = [];
      const { request } = fakeRequest('add', { args: { a: 1, b: 2 } });
      expect((await run(request, [new Calculator(100)])) as { result: unknown }).to.include({ result: 103 });
      const pow = fakeRequest('pow', { args: { a: 2, b: 10 } });
      expect((await run(pow.request, [new Scientific(0)])) as { result: unknown }).to.include({ result: 1024 });
      const ctx = fakeRequest('who');
      await run(ctx.request, [{ who: (c: unknown, a: unknown) => seenCtx.push(c, a) }]);
      expect(seenCtx).to.deep.equal([{ user: 'u' }, {}]);
    });

    it('calls the method synchronously and answers a plain value without waiting for another turn', () => {
      const { request, seen } = fakeRequest('now');
      let called = false;
      const sub = of(request)
        .pipe(dispatch([{ now: () => (called = true) }]))
        .subscribe();
      expect(called).to.equal(true);
      expect(seen.events).to.deep.equal(['reply']);
      sub.unsubscribe();
    });

    it('waits for a Promise and replies with what it resolves to', async () => {
      const { request, seen } = fakeRequest('later');
      const done = await run(request, [{ later: () => new Promise((r) => setTimeout(() => r('late'), 5)) }]);
      expect(done).to.include({ outcome: 'replied', result: 'late' });
      expect(seen.events).to.deep.equal(['reply', 'ack']);
    });

    it('replies with the last value of an Observable, and null for one that completes empty', async () => {
      const many = fakeRequest('many');
      expect(await run(many.request, [{ many: () => of(1, 2, 3) }])).to.include({ result: 3 });
      expect(many.seen.replies).to.deep.equal([3]);
      const none = fakeRequest('none');
      expect(await run(none.request, [{ none: () => EMPTY }])).to.include({ result: null });
      expect(none.seen.replies).to.deep.equal([null]);
    });

    it('treats undefined as a value (replies undefined)', async () => {
      const { request, seen } = fakeRequest('nothing');
      expect(await run(request, [{ nothing: () => undefined }])).to.include({ outcome: 'replied', result: undefined });
      expect(seen.replies).to.deep.equal([undefined]);
    });

    it('runs a cast without replying, emits handled and acks', async () => {
      const { request, seen } = fakeRequest('run', { isCall: false });
      expect(await run(request, [{ run: () => 'x' }])).to.deep.equal({ request, outcome: 'handled', result: 'x' });
      expect(seen.events).to.deep.equal(['ack']);
    });

    it('emits the Dispatched value before settling the request', async () => {
      const { request, seen } = fakeRequest('x');
      const atEmit: string[][] = [];
      await lastValueFrom(of(request).pipe(dispatch([{ x: () => 1 }]))).then(() => undefined);
      const again = fakeRequest('x');
      await new Promise<void>((resolve) =>
        of(again.request)
          .pipe(dispatch([{ x: () => 1 }]))
          .subscribe({ next: () => atEmit.push([...again.seen.events]), complete: resolve }),
      );
      expect(seen.events).to.deep.equal(['reply', 'ack']);
      expect(atEmit).to.deep.equal([['reply']]);
      expect(again.seen.events).to.deep.equal(['reply', 'ack']);
    });

    it('settles the request it emitted as handled even when the consumer takes only that one (firstValueFrom)', async () => {
      const { request, seen } = fakeRequest('x');
      expect(await firstValueFrom(of(request).pipe(dispatch([{ x: () => 1 }])))).to.include({ outcome: 'replied' });
      expect(seen.events).to.deep.equal(['reply', 'ack']);
    });
  });

  describe('failures', () => {
    const boom = new Error('boom');

    it('answers a thrown error with fail, emits failed and acks (the default accept strategy)', async () => {
      const { request, seen } = fakeRequest('bad');
      const done = await run(request, [
        {
          bad: () => {
            throw boom;
          },
        },
      ]);
      expect(done).to.deep.equal({ request, outcome: 'failed', error: boom });
      expect(seen.events).to.deep.equal(['fail', 'ack']);
      expect(seen.failures).to.deep.equal([boom]);
    });

    it('does the same for a rejected Promise and an erroring Observable (after earlier values)', async () => {
      const p = fakeRequest('p');
      expect(await run(p.request, [{ p: () => Promise.reject(boom) }])).to.include({ outcome: 'failed', error: boom });
      expect(p.seen.events).to.deep.equal(['fail', 'ack']);
      const o = fakeRequest('o');
      expect(await run(o.request, [{ o: () => new Observable((s) => (s.next(1), s.error(boom))) }])).to.include({ outcome: 'failed', error: boom });
      expect(o.seen.events).to.deep.equal(['fail', 'ack']);
      expect(o.seen.replies).to.deep.equal([]);
    });

    it('answers unknown methods with NoSuchMethod and incompatible versions or namespaces with UnsupportedVersion', async () => {
      const cases: [FakeOptions & { method: string }, unknown][] = [
        [{ method: 'nosuch' }, NoSuchMethod],
        [{ method: '_private' }, NoSuchMethod],
        [{ method: 'constructor' }, NoSuchMethod],
        [{ method: 'add', version: '2.0' }, UnsupportedVersion],
        [{ method: 'add', version: '1.4' }, UnsupportedVersion],
        [{ method: 'add', namespace: 'other' }, UnsupportedVersion],
      ];
      for (const [{ method, ...o }, type] of cases) {
        const { request, seen } = fakeRequest(method, o);
        const done = await run(request, [new Calculator(0), { _private: () => 1 }]);
        expect(done.outcome, method).to.equal('failed');
        expect(seen.failures[0], `${method} ${o.version ?? ''} ${o.namespace ?? ''}`).to.be.instanceOf(type as typeof Error);
        expect(seen.events).to.deep.equal(['fail', 'ack']);
      }
    });

    it('serves legacy namespaces and takes the first compatible endpoint that has the method', async () => {
      const a = { target: { namespace: 'n', version: '1.1', legacyNamespaces: ['old'] }, who: () => 'a' };
      const b = { target: { namespace: 'n', version: '1.5' }, who: () => 'b', only: () => 'b' };
      const results: unknown[] = [];
      for (const [ns, version, method] of [
        ['n', '1.0', 'who'],
        ['n', '1.3', 'who'],
        ['old', '1.1', 'who'],
        ['n', '1.1', 'only'],
      ] as const) {
        const { request } = fakeRequest(method, { namespace: ns, version });
        results.push(((await run(request, [a, b])) as { result: unknown }).result);
      }
      expect(results).to.deep.equal(['a', 'b', 'a', 'b']);
    });

    it('asks the access policy with the endpoint and the method name', async () => {
      const asked: [object, string][] = [];
      const endpoint = { open: () => 1, shut: () => 2 };
      const policy = (e: object, m: string) => (asked.push([e, m]), m !== 'shut');
      const open = fakeRequest('open');
      const shut = fakeRequest('shut');
      expect(await run(open.request, [endpoint], { accessPolicy: policy })).to.include({ outcome: 'replied' });
      expect((await run(shut.request, [endpoint], { accessPolicy: policy })).outcome).to.equal('failed');
      expect(shut.seen.failures[0]).to.be.instanceOf(NoSuchMethod);
      expect(asked).to.deep.equal([
        [endpoint, 'open'],
        [endpoint, 'shut'],
      ]);
    });

    it('refuses an endpoint whose target has the wrong types when dispatch() is made', () => {
      expect(() => dispatch([{ target: { version: 2 }, m: () => 1 }])).to.throw(InvalidTarget);
    });

    it('sees methods added to an endpoint after dispatch() was made', async () => {
      const endpoint: Record<string, unknown> = { a: () => 'a' };
      const operator = dispatch([endpoint]);
      const first = fakeRequest('b');
      expect((await lastValueFrom(of(first.request).pipe(operator))).outcome).to.equal('failed');
      endpoint.b = () => 'b';
      const second = fakeRequest('b');
      expect(await lastValueFrom(of(second.request).pipe(operator))).to.include({ result: 'b' });
    });

    it('emits failed and still acks when the reply cannot be sent (the caller was told what it could be)', async () => {
      const sendError = new Error('cannot send');
      const { request, seen } = fakeRequest('x', { replyRejects: sendError });
      expect(await run(request, [{ x: () => 1 }], { failureStrategy: 'requeue' })).to.deep.equal({ request, outcome: 'failed', error: sendError });
      expect(seen.events).to.deep.equal(['reply', 'ack']);
    });

    it("settles failures as the failure strategy says, answering the caller only for 'accept' and 'reject'", async () => {
      const bad = {
        bad: () => {
          throw boom;
        },
      };
      const expected: Record<string, string[]> = {
        accept: ['fail', 'ack'],
        reject: ['fail', 'reject amqp:internal-error'],
        requeue: ['requeue'],
        'modified-failed': ['modify failed'],
      };
      for (const [strategy, events] of Object.entries(expected)) {
        const { request, seen } = fakeRequest('bad');
        expect(await run(request, [bad], { failureStrategy: strategy as 'accept' })).to.include({ outcome: 'failed', error: boom });
        expect(seen.events, strategy).to.deep.equal(events);
      }
      const chosen: unknown[] = [];
      const { request, seen } = fakeRequest('bad');
      await run(request, [bad], { failureStrategy: (e) => (chosen.push(e), 'requeue') });
      expect(chosen).to.deep.equal([boom]);
      expect(seen.events).to.deep.equal(['requeue']);
    });

    it('with autoAck off, answers but settles nothing (unless a failure strategy is given)', async () => {
      const ok = fakeRequest('ok');
      await run(ok.request, [{ ok: () => 1 }], { autoAck: false });
      expect(ok.seen.events).to.deep.equal(['reply']);
      const bad = fakeRequest('bad');
      await run(bad.request, [{ bad: () => Promise.reject(boom) }], { autoAck: false });
      expect(bad.seen.events).to.deep.equal(['fail']);
      const rejected = fakeRequest('bad');
      await run(rejected.request, [{ bad: () => Promise.reject(boom) }], { autoAck: false, failureStrategy: 'reject' });
      expect(rejected.seen.events).to.deep.equal(['fail', 'reject amqp:internal-error']);
    });
  });

  describe('codecs', () => {
    const codecs = { add: { args: t.type({ a: t.number, b: t.number }), result: t.number } };
    const add = { add: (_c: unknown, { a, b }: { a: number; b: number }) => a + b, text: () => 'x' };

    it('validates arguments (a ValueError answer) and results (the failure strategy applies)', async () => {
      const good = fakeRequest('add', { args: { a: 1, b: 2 } });
      expect(await run(good.request, [add], { codecs })).to.include({ result: 3 });
      const badArgs = fakeRequest('add', { args: { a: 'x', b: 2 } });
      expect((await run(badArgs.request, [add], { codecs })).outcome).to.equal('failed');
      const e = badArgs.seen.failures[0] as Error & { pythonClass: string };
      expect([e.pythonClass, e.message]).to.deep.equal(['ValueError', 'invalid arguments for add: a does not match { a: number, b: number }']);
      const badResult = fakeRequest('text');
      expect((await run(badResult.request, [add], { codecs: { text: { result: t.number } }, failureStrategy: 'requeue' })).outcome).to.equal('failed');
      expect(badResult.seen.events).to.deep.equal(['requeue']);
    });

    it('passes the decoded arguments to the method and replies with the result decoded then encoded', async () => {
      const Doubled = new t.Type<number, string, unknown>('Doubled', t.number.is, (u, c) => (typeof u === 'number' ? t.success(u * 2) : t.failure(u, c)), (n) => `n=${n}`);
      const { request, seen } = fakeRequest('id', { args: { v: 1 } });
      await run(request, [{ id: (_c: unknown, a: unknown) => (a as { v: number }).v }], { codecs: { id: { args: t.type({ v: Doubled }), result: Doubled } } });
      expect(seen.replies, 'args 1 -> 2, result 2 -> 4 -> n=4').to.deep.equal(['n=4']);
    });
  });

  describe('cancellation and concurrency', () => {
    it('requeues a request unsubscribed while its Promise or Observable runs, and ignores what comes later', async () => {
      let resolveLater!: (v: unknown) => void;
      const p = fakeRequest('p');
      const subP = of(p.request)
        .pipe(dispatch([{ p: () => new Promise((r) => (resolveLater = r)) }]))
        .subscribe();
      subP.unsubscribe();
      resolveLater(1);
      await new Promise((r) => setImmediate(r));
      expect(p.seen.events).to.deep.equal(['requeue']);
      let innerUnsubscribed = false;
      const o = fakeRequest('o');
      of(o.request)
        .pipe(dispatch([{ o: () => new Observable(() => () => (innerUnsubscribed = true)) }]))
        .subscribe()
        .unsubscribe();
      expect(innerUnsubscribed).to.equal(true);
      expect(o.seen.events).to.deep.equal(['requeue']);
    });

    it('requeues a request unsubscribed while its reply is being sent', async () => {
      let sent!: () => void;
      const { request, seen } = fakeRequest('x', { replyGate: new Promise<void>((r) => (sent = r)) });
      const sub = of(request)
        .pipe(dispatch([{ x: () => 1 }]))
        .subscribe();
      sub.unsubscribe();
      sent();
      await new Promise((r) => setImmediate(r));
      expect(seen.events).to.deep.equal(['reply', 'requeue']);
    });

    it('runs at most `concurrency` methods at once and starts the next as one finishes', async () => {
      const source = new Subject<IncomingRequest>();
      const releases: (() => void)[] = [];
      let running = 0;
      let most = 0;
      const endpoint = {
        work: () =>
          defer(
            () =>
              new Promise<string>((resolve) => {
                running++;
                most = Math.max(most, running);
                releases.push(() => {
                  running--;
                  resolve('w');
                });
              }),
          ),
      };
      const outcomes: Dispatched[] = [];
      const finished = new Promise<void>((resolve) => source.pipe(dispatch([endpoint], { concurrency: 2 })).subscribe({ next: (d) => outcomes.push(d), complete: resolve }));
      const requests = [1, 2, 3, 4, 5].map(() => fakeRequest('work'));
      requests.forEach((r) => source.next(r.request));
      source.complete();
      expect(running).to.equal(2);
      while (outcomes.length < 5) {
        const next = releases.shift();
        if (next) next();
        await new Promise((r) => setImmediate(r));
      }
      await finished;
      expect(most).to.equal(2);
      expect(requests.map((r) => r.seen.events)).to.deep.equal(requests.map(() => ['reply', 'ack']));
    });

    it('keeps serving after a request fails', async () => {
      const requests = ['bad', 'ok', 'bad', 'ok'].map((m) => fakeRequest(m));
      const all = await lastValueFrom(
        of(...requests.map((r) => r.request)).pipe(
          dispatch([{ ok: () => 1, bad: () => throwError(() => new Error('x')) }]),
          toArray(),
        ),
      );
      expect(all.map((d) => d.outcome).sort()).to.deep.equal(['failed', 'failed', 'replied', 'replied']);
    });

    it('the stream errors (and requeues what it held) when a failure strategy throws', async () => {
      const { request, seen } = fakeRequest('bad');
      const oops = new Error('strategy broke');
      const error = await run(request, [{ bad: () => Promise.reject(new Error('x')) }], {
        failureStrategy: () => {
          throw oops;
        },
      }).catch((e: unknown) => e);
      expect(error).to.equal(oops);
      expect(seen.events).to.deep.equal(['requeue']);
    });
  });

  describe('call-monitor heartbeats', () => {
    afterEach(() => mock.timers.reset());

    it('sends one every half of the monitor timeout (whole seconds) while the method runs, and stops after', async () => {
      mock.timers.enable({ apis: ['setInterval'] });
      let finish!: (v: string) => void;
      const { request, seen } = fakeRequest('slow', { callMonitorTimeoutMs: 5000 });
      const done = lastValueFrom(of(request).pipe(dispatch([{ slow: () => new Promise<string>((r) => (finish = r)) }])));
      mock.timers.tick(1999);
      expect(seen.heartbeats).to.equal(0);
      mock.timers.tick(1);
      expect(seen.heartbeats).to.equal(1);
      mock.timers.tick(4000);
      expect(seen.heartbeats).to.equal(3);
      finish('ok');
      await done;
      mock.timers.tick(10_000);
      expect(seen.heartbeats).to.equal(3);
    });

    it('sends none to casts, to callers without a monitor or with one under 2 s', async () => {
      mock.timers.enable({ apis: ['setInterval'] });
      const cases = [fakeRequest('slow', { isCall: false, callMonitorTimeoutMs: 5000 }), fakeRequest('slow'), fakeRequest('slow', { callMonitorTimeoutMs: 1999 })];
      const subs = cases.map(({ request }) =>
        of(request)
          .pipe(dispatch([{ slow: () => NEVER }]))
          .subscribe(),
      );
      mock.timers.tick(20_000);
      expect(cases.map((c) => c.seen.heartbeats)).to.deep.equal([0, 0, 0]);
      subs.forEach((s) => s.unsubscribe());
    });

    it('stops heartbeats when the request is cancelled', () => {
      mock.timers.enable({ apis: ['setInterval'] });
      const { request, seen } = fakeRequest('slow', { callMonitorTimeoutMs: 2000 });
      const sub = of(request)
        .pipe(dispatch([{ slow: () => NEVER }]), take(1))
        .subscribe();
      mock.timers.tick(1000);
      expect(seen.heartbeats).to.equal(1);
      sub.unsubscribe();
      mock.timers.tick(5000);
      expect(seen.heartbeats).to.equal(1);
      expect(seen.events).to.deep.equal(['requeue']);
    });
  });
});
