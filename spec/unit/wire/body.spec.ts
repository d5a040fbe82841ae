import { expect } from 'chai';
import fc from 'fast-check';
import { message as rheaMessage } from 'rhea-promise';
import { InvalidMessage, NO_BODY, bodyText, decodeBody, encodeBody } from '../../../lib/wire';
import { type RpcFixtures, bodySectionHex, loadFixture } from './fixtures';

const rpc = loadFixture<RpcFixtures>('rpc');
const EXACT = { pythonExactJson: true } as const;

/** The body as a peer receives it: encoded by rhea and decoded again. */
const overTheWire = (body: unknown): unknown => rheaMessage.decode(rheaMessage.encode({ body })).body;

describe('bodies (encodeBody / decodeBody)', () => {
  it('encodes (pythonExactJson) to the JSON text Python writes, sent as one amqp-value string section like proton does', () => {
    for (const r of rpc.requests) {
      const text = encodeBody(JSON.parse(r.body), EXACT);
      expect(text).to.equal(r.body);
      const section = bodySectionHex(rheaMessage.encode({ body: text }));
      expect(section.slice(6, 8)).to.be.oneOf(['a1', 'b1']); // str8 or str32, as proton
      expect(r.castHex.endsWith(section), r.method).to.equal(true);
    }
  });

  it('decodes an amqp-value string, an amqp-value binary and data sections holding UTF-8 JSON', () => {
    const value = { a: ['é', 1] };
    const text = encodeBody(value);
    expect(decodeBody(overTheWire(text))).to.deep.equal({ _tag: 'Right', right: value });
    expect(decodeBody(overTheWire(Buffer.from(text)))).to.deep.equal({ _tag: 'Right', right: value });
    expect(decodeBody(overTheWire(rheaMessage.data_section(Buffer.from(JSON.stringify(value)))))).to.deep.equal({ _tag: 'Right', right: value });
    const bytes = Buffer.from('{"a": ["é", 1]}');
    const cut = bytes.indexOf(0xc3) + 1; // split inside the two bytes of "é"
    const parts = rheaMessage.data_sections([bytes.subarray(0, cut), bytes.subarray(cut)]);
    expect(decodeBody(overTheWire(parts))).to.deep.equal({ _tag: 'Right', right: value });
    expect(decodeBody('{"x": NaN}')).to.deep.equal({ _tag: 'Right', right: { x: NaN } });
  });

  const reasonOf = (body: unknown): string => {
    const r = decodeBody(body);
    expect(r._tag).to.equal('Left');
    const e = (r as { left: InvalidMessage }).left;
    expect(e).to.be.instanceOf(InvalidMessage);
    expect(e.condition).to.equal('amqp:decode-error');
    return e.reason;
  };

  it('refuses what a Python server cannot read, with a clear reason', () => {
    expect(reasonOf(overTheWire({ request: {} }))).to.match(/AMQP map; expected an AMQP string or a data section/);
    expect(reasonOf(overTheWire(42))).to.match(/the body is an AMQP number/);
    expect(reasonOf(overTheWire(true))).to.match(/AMQP boolean/);
    expect(reasonOf(overTheWire([1, 2]))).to.match(/AMQP list/);
    expect(reasonOf(overTheWire(rheaMessage.sequence_section([1])))).to.match(/amqp-sequence/);
    expect(reasonOf(undefined)).to.match(/has no body/);
    expect(reasonOf(overTheWire(null))).to.match(/AMQP null/);
    expect(reasonOf(overTheWire(rheaMessage.data_section(Buffer.from([0xff, 0xfe]))))).to.match(/data section is not valid UTF-8/);
    expect(reasonOf(Buffer.from([0xc3]))).to.match(/binary body is not valid UTF-8/);
    expect(reasonOf('{"auth_token": "s3cret"')).to.match(/not valid JSON: .*position \d+/).and.not.include('s3cret');
    expect(reasonOf('\ufeff{}')).to.match(/not valid JSON/);
  });

  it('NO_BODY makes rhea write no body section (a heartbeat), where undefined gives an amqp-value null', () => {
    expect(rheaMessage.encode({ body: NO_BODY }).toString('hex')).not.to.include('005377');
    expect(rheaMessage.encode({ body: undefined }).toString('hex')).to.include('00537740');
    expect(rheaMessage.decode(rheaMessage.encode({ body: NO_BODY })).body).to.equal(undefined);
  });

  it('bodyText gives the text of every accepted form', () => {
    expect(bodyText('x')).to.deep.equal({ _tag: 'Right', right: 'x' });
    expect(bodyText(new Uint8Array([0x7b, 0x7d]))).to.deep.equal({ _tag: 'Right', right: '{}' });
  });

  it('property: any value, buffer or string decodes to a value or a Left, never throws', () => {
    const anyBody = fc.oneof(
      fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withSparseArray: true }),
      fc.string(), fc.json(), fc.uint8Array().map((b) => Buffer.from(b)),
      fc.uint8Array().map((b) => rheaMessage.data_section(Buffer.from(b))),
      fc.array(fc.uint8Array()).map((bs) => rheaMessage.data_sections(bs.map((b) => Buffer.from(b)))),
      fc.jsonValue().map((v) => overTheWire(encodeBody(v))),
    );
    fc.assert(fc.property(anyBody, (body) => {
      const r = decodeBody(body);
      if (r._tag === 'Left') expect(r.left.reason).to.be.a('string').and.not.equal('');
    }), { numRuns: 1000 });
  });

  it('property: decodeBody(encodeBody(x)) is x for JSON values', () => {
    fc.assert(fc.property(fc.jsonValue(), (x) => {
      expect(decodeBody(overTheWire(encodeBody(x)))).to.deep.equal({ _tag: 'Right', right: x });
    }), { numRuns: 300 });
  });
});
