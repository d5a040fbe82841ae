import { expect } from 'chai';
import fc from 'fast-check';
import {
  type NotificationMessage, type RpcRequest, RpcRequestCodec, buildNotificationMessage, buildReplyMessage, encodeBody,
  failureReply, fastJsonDumps, jsonDumps, jsonLoads, pythonJsonDumps, responseReply,
} from '../../../lib/wire';
import { type NotificationFixtures, type RpcFixtures, loadFixture } from './fixtures';
import { pythonReads } from './python-reads';

const rpc = loadFixture<RpcFixtures>('rpc');
const { cases: notifications } = loadFixture<NotificationFixtures>('notifications');
const ASCII = /^[\x00-\x7f]*$/;

class Point {
  constructor(readonly x: number, readonly y: number) {}
}

/** JSON values the compact path writes: finite safe numbers but -0, short and long strings of any code units. */
const plainJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { arbitrary: fc.oneof(
      fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }).filter((d) => !Object.is(d, -0)),
      fc.boolean(), fc.constant(null), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary', minLength: 64, maxLength: 400 }),
    ), weight: 3 },
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'binary' }), tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** Values where JSON.stringify alone would write something else than Python's json.dumps means. */
function awkwardValues(): unknown[] {
  const sparse: unknown[] = [1];
  sparse[3] = 2;
  return [
    NaN, Infinity, -Infinity, [NaN, { x: -Infinity }], -0, [0, -0], { z: -0 },
    1e21, -1e21, 12345678901234567890, 1e300, 5e-324, 1e-7, 0.1, 2 ** 53 + 2,
    12345678901234567890n, { n: -5n },
    'é😀', '\ud800', '\udfff x', '\u007f\u0080\u2028\u2029\ufeff', '\b\f\n\r\t\u0001"\\/',
    { 'ключ': 'значение', 'emoji 😀': ['日本'] },
    new Date(Date.UTC(2020, 0, 2)), new Date(NaN), { when: new Date(0) },
    new Map<unknown, unknown>([['b', 1], ['2', 2], [3, 3], [true, 4], [null, 5], [1.5, 6]]), { m: new Map([['k', NaN]]) },
    new Set([1, 2]), Buffer.from('hé'), new Uint8Array([1, 2]),
    new Point(1, 2), Object.assign(Object.create(null) as object, { a: 1 }), { toJSON: () => ({ x: NaN }) },
    new Number(3), new String('s'), new Boolean(false),
    { a: undefined, f: () => 1, s: Symbol('x'), b: 1 }, [undefined, () => 1, Symbol('y')], undefined, () => 1,
    sparse, [], {}, { '': { '': [] } }, { __proto__x: 1, constructor: 'c', toString: 's' },
    // deeper than the check goes: the exact writer takes over
    JSON.parse(`${'['.repeat(200)}1${']'.repeat(200)}`),
  ];
}

/** Request, reply, failure and notification bodies of every fixture case, compact, each with Python's own text. */
function fixtureBodies(): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const r of rpc.requests) {
    const request: RpcRequest = {
      method: r.method, args: r.args, context: r.context,
      ...(r.namespace === null ? {} : { namespace: r.namespace }),
      ...(r.version === null ? {} : { version: r.version }),
      ...(r.callMonitorTimeout === null ? {} : { callMonitorTimeoutMs: r.callMonitorTimeout * 1000 }),
    };
    pairs.push([encodeBody(RpcRequestCodec.encode(request)), r.body]);
  }
  for (const r of rpc.replies) pairs.push([buildReplyMessage(responseReply(r.result), { to: 'r', correlationId: 'c' }).body as string, r.body]);
  for (const f of rpc.failures) {
    const error = Object.assign(new Error(f.parsed.message), {
      pythonClass: f.raisedClass, pythonModule: f.raisedModule, pythonArgs: f.parsed.args, pythonKwargs: f.parsed.kwargs, pythonTraceback: f.parsed.tb,
    });
    pairs.push([buildReplyMessage(failureReply(error), { to: 'r', correlationId: 'c' }).body as string, f.body]);
  }
  for (const c of notifications) {
    const m = c.message;
    const message: NotificationMessage = {
      messageId: m.message_id, publisherId: m.publisher_id, eventType: m.event_type, priority: m.priority, payload: m.payload, timestamp: m.timestamp,
    };
    pairs.push([buildNotificationMessage({ message, context: c.context, version: 1 }, { to: 'a' }).body as string, c.v1]);
    pairs.push([buildNotificationMessage({ message, context: c.context, version: 2 }, { to: 'a' }).body as string, c.v2]);
  }
  return pairs;
}

describe('fastJsonDumps (the default body form)', () => {
  it('is JSON.stringify with non-ASCII escaped like ensure_ascii (lower-case, astral as two surrogates)', () => {
    expect(fastJsonDumps({ a: [1, 2.5], b: { c: null, d: true } })).to.equal('{"a":[1,2.5],"b":{"c":null,"d":true}}');
    expect(fastJsonDumps({ s: 'café 😀 \u2028' })).to.equal('{"s":"caf\\u00e9 \\ud83d\\ude00 \\u2028"}');
    expect(fastJsonDumps('\ud800')).to.equal('"\\ud800"');
    expect(fastJsonDumps(new Date(Date.UTC(2020, 0, 2)))).to.equal('"2020-01-02T00:00:00.000Z"');
    expect(fastJsonDumps({ a: undefined, f: () => 1, b: [undefined] })).to.equal('{"b":[null]}');
    expect(fastJsonDumps(undefined)).to.equal('null');
  });

  it('hands values JSON.stringify would change to the exact writer: non-finite, -0, huge ints, bigint, Map, class instances', () => {
    for (const v of [[NaN, Infinity, -Infinity], { z: -0 }, 1e21, 5n, new Map([['k', 1]]), new Point(1, 2), { toJSON: () => 1 }]) {
      expect(fastJsonDumps(v)).to.equal(pythonJsonDumps(v));
    }
    expect(fastJsonDumps([NaN, 1e21, 2n])).to.equal('[NaN, 1000000000000000000000, 2]');
  });

  it('throws TypeError on a circular structure, as the exact writer does; shared objects are fine', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { back: [cyclic] };
    expect(() => fastJsonDumps(cyclic)).to.throw(TypeError, /Circular/);
    expect(() => encodeBody({ response: cyclic })).to.throw(TypeError, /Circular/);
    const shared = { x: 1 };
    expect(fastJsonDumps([shared, shared])).to.equal('[{"x":1},{"x":1}]');
    expect(() => fastJsonDumps(new Map([[{}, 1]]))).to.throw(TypeError, /keys must be/);
  });

  it('writes the holes of a sparse array as null (both writers)', () => {
    const sparse: unknown[] = [1];
    sparse[2] = 3;
    expect(fastJsonDumps(sparse)).to.equal('[1,null,3]');
    expect(pythonJsonDumps(sparse)).to.equal('[1, null, 3]');
  });

  it('property: the compact text is JSON.stringify\'s, escaped to ASCII, whichever writer makes it (long strings or many values)', () => {
    const escaped = (text: string) => text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    fc.assert(fc.property(plainJson, (v) => {
      const fast = fastJsonDumps(v);
      expect(fast).to.equal(escaped(JSON.stringify(v)));
      expect(jsonLoads(fast)).to.deep.equal(v);
    }), { numRuns: 300 });
  });

  it('jsonDumps picks the exact form only when asked', () => {
    const v = { a: ['é', 1] };
    expect(jsonDumps(v)).to.equal(fastJsonDumps(v));
    expect(jsonDumps(v, { pythonExactJson: false })).to.equal('{"a":["\\u00e9",1]}');
    expect(jsonDumps(v, { pythonExactJson: true })).to.equal('{"a": ["\\u00e9", 1]}');
  });

  describe('against Python 3 json (one /usr/bin/python3 process per test)', () => {
    it('Python reads the compact body of every fixture case as the value of its own text (envelopes and failures unwrapped)', () => {
      const pairs = fixtureBodies();
      const readings = pythonReads(pairs);
      readings.forEach((r, i) => expect(r.same, `${pairs[i]![0]} vs ${pairs[i]![1]}`).to.equal(true));
      for (const [fast] of pairs) expect(fast).to.match(ASCII);
    });

    it('awkward values: Python reads the compact text as the exact one, and writes the exact one byte for byte', () => {
      const values = awkwardValues();
      const pairs = values.map((v) => [fastJsonDumps(v), pythonJsonDumps(v)] as const);
      const readings = pythonReads(pairs);
      readings.forEach((r, i) => {
        const [fast, exact] = pairs[i]!;
        expect(fast, exact).to.match(ASCII);
        expect(r.same, `${fast} vs ${exact}`).to.equal(true);
        expect(r.redumped, exact).to.equal(exact);
        // and oslo-rx reads both alike
        expect(Object.is(jsonLoads(fast), jsonLoads(exact)) || JSON.stringify(jsonLoads(fast)) === JSON.stringify(jsonLoads(exact)), exact).to.equal(true);
      });
    });

    it('property: Python reads generated plain JSON (long strings too) in compact form as in the exact form', () => {
      const pairs = fc.sample(plainJson, { numRuns: 200, seed: 3 }).map((v) => [fastJsonDumps(v), pythonJsonDumps(v)] as const);
      const readings = pythonReads(pairs);
      readings.forEach((r, i) => {
        expect(r.same, `${pairs[i]![0]} vs ${pairs[i]![1]}`).to.equal(true);
        expect(r.redumped).to.equal(pairs[i]![1]);
      });
    });

    it('property: for generated values (bigint, dates, maps, sets, boxed, sparse, full unicode) Python reads the compact text as the exact one', () => {
      const arb = fc.anything({
        withBigInt: true, withDate: true, withMap: true, withSet: true, withBoxedValues: true, withSparseArray: true,
        withNullPrototype: true, withTypedArray: true, stringUnit: 'binary', key: fc.string({ unit: 'binary' }),
      });
      const pairs: Array<[string, string]> = [];
      for (const v of fc.sample(arb, { numRuns: 250, seed: 9 })) {
        let exact: string;
        try {
          exact = pythonJsonDumps(v);
        } catch (e) {
          expect(e).to.be.instanceOf(TypeError);
          expect(() => fastJsonDumps(v)).to.throw(TypeError);
          continue;
        }
        pairs.push([fastJsonDumps(v), exact]);
      }
      expect(pairs.length).to.be.greaterThan(180);
      const readings = pythonReads(pairs);
      readings.forEach((r, i) => {
        expect(r.same, `${pairs[i]![0]} vs ${pairs[i]![1]}`).to.equal(true);
        expect(r.redumped).to.equal(pairs[i]![1]);
        expect(pairs[i]![0]).to.match(ASCII);
      });
    });
  });
});
