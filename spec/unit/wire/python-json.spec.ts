import { expect } from 'chai';
import fc from 'fast-check';
import { jsonLoads, pythonJsonDumps } from '../../../lib/wire';
import { loadFixture } from './fixtures';

interface JsonFixtures {
  cases: Array<{ text: string }>;
  floatsAsInts: Array<{ python: string; loaded: number }>;
}
const fixtures = loadFixture<JsonFixtures>('python-json');

describe('pythonJsonDumps / jsonLoads', () => {
  describe('byte-identical to Python json.dumps (fixtures from Python 3.11)', () => {
    for (const { text } of fixtures.cases) {
      it(`round-trips ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`, () => {
        expect(pythonJsonDumps(jsonLoads(text))).to.equal(text);
      });
    }
  });

  it('writes integral floats as ints (JavaScript has one number type)', () => {
    for (const { python, loaded } of fixtures.floatsAsInts) {
      expect(jsonLoads(python)).to.equal(loaded);
    }
    expect(pythonJsonDumps(1)).to.equal('1');
    expect(pythonJsonDumps(1e16)).to.equal('10000000000000000');
    expect(pythonJsonDumps(1e21)).to.equal('1000000000000000000000');
    expect(pythonJsonDumps(-3)).to.equal('-3');
  });

  it('writes floats like Python repr', () => {
    expect(pythonJsonDumps([0.1, 1e-5, 1.5e-7, 0.0001, 1e-7, -2.5e-300, 5e-324, 1.25])).to.equal(
      '[0.1, 1e-05, 1.5e-07, 0.0001, 1e-07, -2.5e-300, 5e-324, 1.25]');
    expect(pythonJsonDumps(-0)).to.equal('-0.0');
    expect(pythonJsonDumps([NaN, Infinity, -Infinity])).to.equal('[NaN, Infinity, -Infinity]');
  });

  it('uses Python separators and escapes like ensure_ascii', () => {
    expect(pythonJsonDumps({ a: [1, 2], b: { c: null } })).to.equal('{"a": [1, 2], "b": {"c": null}}');
    expect(pythonJsonDumps('é😀\u007f\u2028"\\/')).to.equal('"\\u00e9\\ud83d\\ude00\\u007f\\u2028\\"\\\\/"');
    expect(pythonJsonDumps('\b\f\n\r\t\u0001')).to.equal('"\\b\\f\\n\\r\\t\\u0001"');
  });

  it('keeps insertion order; a Map keeps even integer-like keys in order', () => {
    expect(pythonJsonDumps({ b: 1, a: 2 })).to.equal('{"b": 1, "a": 2}');
    expect(pythonJsonDumps(new Map<unknown, unknown>([['b', 1], ['2', 2], [3, 3], [true, 4], [null, 5], [1.5, 6]])))
      .to.equal('{"b": 1, "2": 2, "3": 3, "true": 4, "null": 5, "1.5": 6}');
    expect(() => pythonJsonDumps(new Map([[{}, 1]]))).to.throw(TypeError, /keys must be/);
  });

  it('treats non-JSON values as JSON.stringify does, bigint as an int', () => {
    expect(pythonJsonDumps({ a: undefined, f: () => 1, s: Symbol('x'), b: 1 })).to.equal('{"b": 1}');
    expect(pythonJsonDumps([undefined, () => 1])).to.equal('[null, null]');
    expect(pythonJsonDumps(undefined)).to.equal('null');
    expect(pythonJsonDumps(new Date(Date.UTC(2020, 0, 2)))).to.equal('"2020-01-02T00:00:00.000Z"');
    expect(pythonJsonDumps(12345678901234567890n)).to.equal('12345678901234567890');
    expect(pythonJsonDumps({ toJSON: () => ({ x: 'y' }) })).to.equal('{"x": "y"}');
  });

  it('refuses circular structures but not shared ones', () => {
    const shared = { x: 1 };
    expect(pythonJsonDumps([shared, shared])).to.equal('[{"x": 1}, {"x": 1}]');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => pythonJsonDumps(cyclic)).to.throw(TypeError, /Circular/);
  });

  it('jsonLoads reads Python constants, also inside strings-rich documents', () => {
    expect(jsonLoads('{"a": NaN, "b": [Infinity, -Infinity], "c": "NaN Infinity"}')).to.deep.equal({
      a: NaN, b: [Infinity, -Infinity], c: 'NaN Infinity',
    });
    expect(jsonLoads(' [ 1 , {"__proto__": {"x": 1}} ] NaN'.slice(0, -4))).to.deep.equal(JSON.parse('[1, {"__proto__": {"x": 1}}]'));
    const proto = jsonLoads('{"__proto__": NaN}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(proto)).to.equal(Object.prototype);
    expect(Object.keys(proto)).to.deep.equal(['__proto__']);
  });

  it('jsonLoads errors name a position, never the text', () => {
    for (const bad of ['{"secret": "hunter2"', 'nan', '-NaN', '{"a": 1,}', '[1] x', '"\u0001"', '', '{"k" 1}']) {
      expect(() => jsonLoads(bad), bad).to.throw(SyntaxError, /at position \d+$/);
      try {
        jsonLoads(bad);
      } catch (e) {
        expect((e as Error).message).not.to.include('hunter2');
      }
    }
  });

  it('property: loads(dumps(x)) deep-equals x for any JSON value, incl. NaN, ±Infinity and -0', () => {
    const num = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e-7, 123.456));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, num, fc.string({ unit: 'binary' }), fc.boolean(), fc.constant(null),
        fc.array(tie('value')), fc.dictionary(fc.string({ unit: 'binary' }), tie('value'))),
    }));
    fc.assert(fc.property(value, (x) => {
      expect(jsonLoads(pythonJsonDumps(x))).to.deep.equal(x);
    }), { numRuns: 300 });
  });

  it('property: output is ASCII and standard JSON.parse reads it back (finite values, -0 kept)', () => {
    fc.assert(fc.property(fc.jsonValue(), (x) => {
      const text = pythonJsonDumps(x);
      expect(/^[\x20-\x7e]*$/.test(text)).to.equal(true);
      expect(JSON.parse(text)).to.deep.equal(x);
    }), { numRuns: 300 });
  });

  it('property: lone surrogates survive (Python strings may hold them)', () => {
    const utf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });
    fc.assert(fc.property(utf16, (s) => {
      expect(jsonLoads(pythonJsonDumps(s))).to.equal(s);
    }), { numRuns: 300 });
  });

  it('property: jsonLoads on any string returns a value or throws SyntaxError', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1)))), (s) => {
      try {
        jsonLoads(s);
      } catch (e) {
        expect(e).to.be.instanceOf(SyntaxError);
      }
    }), { numRuns: 500 });
  });
});
