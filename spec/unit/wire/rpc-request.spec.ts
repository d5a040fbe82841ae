import { expect } from 'chai';
import fc from 'fast-check';
import { message as rheaMessage } from 'rhea-promise';
import {
  type RpcRequest, RpcRequestCodec, buildCallMessage, buildCastMessage, decodeRequestMessage, decodeWith, encodeBody,
  wrapEnvelope,
} from '../../../lib/wire';
import { type RpcFixtures, bodySectionHex, fromHex, loadFixture, overTheWire } from './fixtures';

const rpc = loadFixture<RpcFixtures>('rpc');
const EXACT = { pythonExactJson: true } as const;


function requestOf(r: RpcFixtures['requests'][number]): RpcRequest {
  return {
    method: r.method, args: r.args, context: r.context,
    ...(r.namespace === null ? {} : { namespace: r.namespace }),
    ...(r.version === null ? {} : { version: r.version }),
    ...(r.callMonitorTimeout === null ? {} : { callMonitorTimeoutMs: r.callMonitorTimeout * 1000 }),
  };
}

function reasonOf(body: unknown): string {
  const r = decodeWith(RpcRequestCodec, body, 'RPC request');
  expect(r._tag, JSON.stringify(body)).to.equal('Left');
  return (r as { left: { reason: string } }).left.reason;
}

describe('RPC requests', () => {
  describe('bodies are byte-identical to Python marshal_request (pythonExactJson)', () => {
    for (const r of rpc.requests) {
      it(`${r.method} (namespace ${r.namespace}, version ${r.version}, call monitor ${r.callMonitorTimeout})`, () => {
        expect(encodeBody(RpcRequestCodec.encode(requestOf(r)), EXACT)).to.equal(r.body);
      });
    }
  });

  describe('Python-encoded messages decode', () => {
    for (const r of rpc.requests) {
      it(`${r.method}, from proton's bytes`, () => {
        const decoded = decodeRequestMessage(fromHex(r.castHex));
        expect(decoded).to.deep.equal({ _tag: 'Right', right: { request: requestOf(r) } });
      });
    }
    it('a call keeps its message-id and reply address', () => {
      const m = fromHex(rpc.call.hex);
      expect(decodeRequestMessage(m)).to.deep.equal({
        _tag: 'Right',
        right: { request: { method: 'echo', args: { x: 1 }, context: {} }, messageId: rpc.call.messageId, replyTo: rpc.call.replyTo },
      });
    });
  });

  it('a call message: uuid-hex string id, reply_to, to, ttl, a wall-clock expiry, not durable; same body bytes as Python (pythonExactJson)', () => {
    const now = Date.UTC(2026, 10, 25, 6, 40, 5);
    const request: RpcRequest = { method: 'echo', args: { x: 1 }, context: {} };
    const built = buildCallMessage(request, { to: rpc.call.to, replyTo: rpc.call.replyTo, timeoutMs: rpc.call.ttlMs, now, ...EXACT });
    const m = overTheWire(built);
    expect(m.message_id).to.be.a('string').and.match(/^[0-9a-f]{32}$/);
    expect(m.reply_to).to.equal(rpc.call.replyTo);
    expect(m.to).to.equal(rpc.call.to);
    expect(m.ttl).to.equal(60000);
    expect(m.ttl).to.equal(fromHex(rpc.call.hex).ttl);
    expect((m.absolute_expiry_time as Date).getTime()).to.equal(now + 60000);
    expect(m.durable).not.to.equal(true);
    expect(m.correlation_id).to.equal(undefined);
    expect(bodySectionHex(rheaMessage.encode(built))).to.equal(bodySectionHex(Buffer.from(rpc.call.hex, 'hex')));
  });

  it('call options: given id, no expiry on request, default clock, no ttl without a timeout', () => {
    const request: RpcRequest = { method: 'm', args: {}, context: null, callMonitorTimeoutMs: 4000 };
    const a = buildCallMessage(request, { to: 't', replyTo: 'r', timeoutMs: 1500, messageId: 'f'.repeat(32), absoluteExpiry: false });
    expect(a).to.include({ message_id: 'f'.repeat(32), ttl: 1500 });
    expect(a.absolute_expiry_time).to.equal(undefined);
    expect(a.body).to.equal('{"request":{"method":"m","args":{}},"context":null,"call_monitor_timeout":4}');
    const before = Date.now();
    const b = buildCallMessage(request, { to: 't', replyTo: 'r', timeoutMs: 1000 });
    expect((b.absolute_expiry_time as Date).getTime()).to.be.within(before + 1000, Date.now() + 1000);
    const c = buildCallMessage(request, { to: 't', replyTo: 'r', timeoutMs: 0 });
    expect(c.ttl).to.equal(undefined);
    expect(c.absolute_expiry_time).to.equal(undefined);
  });

  it('a cast message: only to and the body (no id, no reply address, no call monitor)', () => {
    const request: RpcRequest = { method: 'nocast', args: { x: 2 }, context: { k: 'v' }, callMonitorTimeoutMs: 4000 };
    const m = buildCastMessage(request, { to: 'broadcast.openstack.t.all' });
    expect(Object.keys(m).sort()).to.deep.equal(['body', 'to']);
    expect(m.body).to.equal('{"request":{"method":"nocast","args":{"x":2}},"context":{"k":"v"}}');
  });

  it('decodes as leniently as oslo: missing args/context, null namespace/version, an envelope', () => {
    expect(decodeWith(RpcRequestCodec, { request: { method: 'm', namespace: null, version: null } }, 'r'))
      .to.deep.equal({ _tag: 'Right', right: { method: 'm', args: {}, context: null } });
    expect(decodeWith(RpcRequestCodec, { request: wrapEnvelope({ method: 'm', args: { a: 1 }, version: '1.1' }), context: { c: 1 } }, 'r'))
      .to.deep.equal({ _tag: 'Right', right: { method: 'm', args: { a: 1 }, version: '1.1', context: { c: 1 } } });
    expect(decodeWith(RpcRequestCodec, { request: { method: 'm' }, call_monitor_timeout: 1.001 }, 'r'))
      .to.deep.equal({ _tag: 'Right', right: { method: 'm', args: {}, context: null, callMonitorTimeoutMs: 1001 } });
    expect(decodeWith(RpcRequestCodec, { request: { method: 'm' }, call_monitor_timeout: null }, 'r'))
      .to.deep.equal({ _tag: 'Right', right: { method: 'm', args: {}, context: null } });
  });

  it('refuses what an oslo server cannot dispatch, saying where', () => {
    expect(reasonOf([1])).to.equal('RPC request: body: expected RpcRequest, got array');
    expect(reasonOf({})).to.equal('RPC request: request: expected object, got nothing');
    expect(reasonOf({ request: { method: 5 } })).to.equal('RPC request: request.method: expected string, got number');
    expect(reasonOf({ request: { method: 'm', args: null } })).to.equal('RPC request: request.args: expected object, got null');
    expect(reasonOf({ request: { method: 'm', args: [] } })).to.equal('RPC request: request.args: expected object, got array');
    expect(reasonOf({ request: { method: 'm', version: 1 } })).to.equal('RPC request: request.version: expected string or null, got number');
    expect(reasonOf({ request: { method: 'm' }, context: 'x' })).to.equal('RPC request: context: expected object or null, got string');
    expect(reasonOf({ request: { method: 'm' }, call_monitor_timeout: -1 }))
      .to.equal('RPC request: call_monitor_timeout: expected non-negative number or null, got number');
    expect(reasonOf({ request: { 'oslo.version': '3.0', 'oslo.message': '{}' } })).to.match(/request: unsupported oslo envelope version/);
    expect(reasonOf({ request: { method: 1, args: 2, version: 3 } }).split('; ').length).to.equal(3);
    expect(reasonOf({ request: { method: 'm' }, context: 1, call_monitor_timeout: 'x' }).split('; ').length).to.equal(2);
  });

  it('decodeRequestMessage: bad bodies are Lefts; empty reply_to means a cast', () => {
    const m = decodeRequestMessage({ body: { request: {} }, message_id: 'x', reply_to: 'r' });
    expect(m._tag).to.equal('Left');
    const cast = decodeRequestMessage({ body: '{"request": {"method": "m"}}', message_id: undefined, reply_to: '' });
    expect(cast).to.deep.equal({ _tag: 'Right', right: { request: { method: 'm', args: {}, context: null } } });
  });

  const requestArb: fc.Arbitrary<RpcRequest> = fc.record({
    method: fc.string(),
    args: fc.dictionary(fc.string(), fc.jsonValue()),
    context: fc.option(fc.dictionary(fc.string(), fc.jsonValue()), { nil: null }),
    namespace: fc.string(),
    version: fc.string(),
    callMonitorTimeoutMs: fc.integer({ min: 0, max: 10 ** 9 }),
  }, { requiredKeys: ['method', 'args', 'context'] });

  it('property: requests round-trip through a rhea message', () => {
    fc.assert(fc.property(requestArb, (r) => {
      const m = overTheWire(buildCallMessage(r, { to: 't', replyTo: 'r', timeoutMs: 1000 }));
      const back = decodeRequestMessage(m);
      expect(back._tag).to.equal('Right');
      expect((back as { right: { request: RpcRequest } }).right.request).to.deep.equal(r);
      expect(RpcRequestCodec.is(r)).to.equal(true);
    }), { numRuns: 300 });
  });

  it('property: any input decodes to a request or a Left with a reason, never throws', () => {
    const loose = fc.record({
      request: fc.oneof(fc.anything(), fc.record({ method: fc.anything(), args: fc.anything(), namespace: fc.anything(), version: fc.anything() },
        { requiredKeys: [] })),
      context: fc.anything(),
      call_monitor_timeout: fc.oneof(fc.double(), fc.anything()),
    }, { requiredKeys: [] });
    fc.assert(fc.property(fc.oneof(fc.anything({ withNullPrototype: true, withMap: true, withBigInt: true }), loose, fc.jsonValue()), (u) => {
      const r = decodeWith(RpcRequestCodec, u, 'RPC request');
      if (r._tag === 'Right') expect(RpcRequestCodec.is(r.right)).to.equal(true);
      else expect(r.left.reason).to.match(/^RPC request: \S/);
      decodeRequestMessage({ body: u, message_id: undefined, reply_to: undefined });
    }), { numRuns: 1000 });
  });
});
