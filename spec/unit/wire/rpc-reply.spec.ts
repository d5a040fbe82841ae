import { expect } from 'chai';
import fc from 'fast-check';
import { message as rheaMessage } from 'rhea-promise';
import {
  type RpcReply, RpcReplyCodec, buildHeartbeatMessage, buildReplyMessage, decodeReplyMessage, decodeWith, failureReply,
  parseFailure, responseReply,
} from '../../../lib/wire';
import { type RpcFixtures, bodySectionHex, fromHex, loadFixture, overTheWire } from './fixtures';

const rpc = loadFixture<RpcFixtures>('rpc');
const CID = '0123456789abcdef0123456789abcdef';
const EXACT = { pythonExactJson: true } as const;

describe('RPC replies and heartbeats', () => {
  describe('responses are byte-identical to Python marshal_response (pythonExactJson)', () => {
    for (const r of rpc.replies) {
      it(`response ${JSON.stringify(r.result)}`, () => {
        const m = buildReplyMessage(responseReply(r.result), { to: 'dyn-f162e95c', correlationId: CID, ...EXACT });
        expect(m.body).to.equal(r.body);
        expect(bodySectionHex(rheaMessage.encode(m))).to.equal(bodySectionHex(Buffer.from(r.hex, 'hex')));
        const back = decodeReplyMessage(fromHex(r.hex));
        expect(back).to.deep.equal({ _tag: 'Right', right: { kind: 'response', result: r.result, correlationId: CID } });
      });
    }
  });

  describe('failures are byte-identical to Python marshal_response (pythonExactJson)', () => {
    for (const f of rpc.failures) {
      it(f.name, () => {
        const error = Object.assign(new Error(f.parsed.message), {
          pythonClass: f.raisedClass, pythonModule: f.raisedModule, pythonArgs: f.parsed.args,
          pythonKwargs: f.parsed.kwargs, pythonTraceback: f.parsed.tb,
        });
        expect(buildReplyMessage(failureReply(error), { to: 'r', correlationId: CID, ...EXACT }).body).to.equal(f.body);
        const back = decodeReplyMessage({ body: f.body, correlation_id: 7 });
        const info = parseFailure(f.failure);
        expect(info._tag).to.equal('Right');
        expect(back).to.deep.equal({ _tag: 'Right', right: { kind: 'failure', failure: (info as { right: unknown }).right, correlationId: 7 } });
      });
    }
  });

  it('a reply echoes the request id with its AMQP type and goes to the reply address', () => {
    const uuid = Buffer.alloc(16, 0xab);
    const m = overTheWire(buildReplyMessage(responseReply(undefined), { to: 'temp-queue://ID:1', correlationId: uuid }));
    expect(m.correlation_id).to.deep.equal(uuid);
    expect(m.to).to.equal('temp-queue://ID:1');
    expect(m.body).to.equal('{"response":null}');
    expect(m.message_id).to.equal(undefined);
  });

  it('a heartbeat has no body section, the request id as correlation-id and ttl = the call-monitor timeout', () => {
    const ours = buildHeartbeatMessage({ to: rpc.heartbeat.to, correlationId: CID, callMonitorTimeoutMs: 4000 });
    const encoded = rheaMessage.encode(ours);
    expect(bodySectionHex(encoded)).to.equal('');
    expect(Buffer.from(rpc.heartbeat.hex, 'hex').toString('hex')).not.to.include('005377');
    const [a, b] = [rheaMessage.decode(encoded), fromHex(rpc.heartbeat.hex)];
    for (const k of ['to', 'correlation_id', 'ttl', 'body'] as const) expect(a[k], k).to.deep.equal(b[k]);
    expect(decodeReplyMessage(b)).to.deep.equal({ _tag: 'Right', right: { kind: 'heartbeat', correlationId: CID } });
    expect(decodeReplyMessage({ body: null, correlation_id: 1 })).to.deep.equal({ _tag: 'Right', right: { kind: 'heartbeat', correlationId: 1 } });
    // RabbitMQ 3.x delivers a body-less message with an empty data section
    const empty = overTheWire({ correlation_id: 'c', body: rheaMessage.data_section(Buffer.alloc(0)) });
    expect(decodeReplyMessage(empty)).to.deep.equal({ _tag: 'Right', right: { kind: 'heartbeat', correlationId: 'c' } });
  });

  it('reads replies as oslo does', () => {
    const dec = (u: unknown) => decodeWith(RpcReplyCodec, u, 'RPC reply');
    expect(dec({})).to.deep.equal({ _tag: 'Right', right: { kind: 'response', result: null } });
    expect(dec({ failure: null, response: 5 })).to.deep.equal({ _tag: 'Right', right: { kind: 'response', result: 5 } });
    const reason = (u: unknown) => (dec(u) as { left: { reason: string } }).left.reason;
    expect(reason([1])).to.equal('RPC reply: body: expected RpcReply, got array');
    expect(reason({ failure: 5 })).to.equal('RPC reply: failure: expected string, got number');
    expect(reason({ failure: '{"class": 1, "module": "m"}' })).to.equal('RPC reply: failure: RPC failure: class: expected string, got number');
    expect(reason({ failure: 'nope' })).to.match(/^RPC reply: failure: RPC failure: not valid JSON/);
    expect(decodeReplyMessage({ body: 42, correlation_id: 'x' })._tag).to.equal('Left');
  });

  it('property: replies round-trip through a rhea message', () => {
    const reply: fc.Arbitrary<RpcReply> = fc.oneof(
      fc.jsonValue().map((v) => responseReply(v)),
      fc.record({ name: fc.string(), message: fc.string(), args: fc.array(fc.jsonValue()) })
        .map(({ name, message, args }) => failureReply(Object.assign(new Error(message), { name, pythonArgs: args }))),
    );
    fc.assert(fc.property(reply, fc.oneof(fc.string(), fc.nat()), (r, id) => {
      const back = decodeReplyMessage(overTheWire(buildReplyMessage(r, { to: 'x', correlationId: id })));
      expect(back).to.deep.equal({ _tag: 'Right', right: { ...r, correlationId: id } });
      expect(RpcReplyCodec.is(r)).to.equal(true);
    }), { numRuns: 200 });
  });

  it('property: any body decodes to a reply, a heartbeat or a Left, never throws', () => {
    const loose = fc.record({ failure: fc.oneof(fc.anything(), fc.string(), fc.json()), response: fc.anything() }, { requiredKeys: [] });
    fc.assert(fc.property(fc.oneof(fc.anything(), loose, loose.map((l) => JSON.stringify(l) ?? '')), fc.anything(), (body, cid) => {
      const r = decodeReplyMessage({ body, correlation_id: cid as string });
      if (r._tag === 'Left') expect(r.left.reason).to.be.a('string');
    }), { numRuns: 1000 });
  });
});
