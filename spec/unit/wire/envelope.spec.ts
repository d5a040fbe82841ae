import { expect } from 'chai';
import fc from 'fast-check';
import { pythonJsonDumps, unwrapEnvelope, wrapEnvelope } from '../../../lib/wire';
import { type NotificationFixtures, loadFixture } from './fixtures';

const { envelope } = loadFixture<NotificationFixtures>('notifications');

describe('oslo envelope (format 2.0)', () => {
  it('wraps exactly as Python serialize_msg (pythonExactJson)', () => {
    const w = wrapEnvelope({ b: 1, a: 'café' }, { pythonExactJson: true });
    expect(pythonJsonDumps(w)).to.equal(pythonJsonDumps(envelope));
    expect(Object.keys(w)).to.deep.equal(['oslo.version', 'oslo.message']);
  });

  it('unwraps an envelope; passes anything else through', () => {
    expect(unwrapEnvelope(envelope)).to.deep.equal({ _tag: 'Right', right: { message: { b: 1, a: 'café' }, enveloped: true } });
    for (const v of [null, 1, 'x', [1], { 'oslo.version': '2.0' }, { method: 'm' }]) {
      expect(unwrapEnvelope(v)).to.deep.equal({ _tag: 'Right', right: { message: v, enveloped: false } });
    }
  });

  it('refuses an incompatible version or an unreadable message', () => {
    const bad = (e: unknown): string => {
      const r = unwrapEnvelope(e);
      expect(r._tag).to.equal('Left');
      return (r as { left: string }).left;
    };
    expect(bad({ 'oslo.version': '3.0', 'oslo.message': '{}' })).to.match(/unsupported oslo envelope version/);
    expect(bad({ 'oslo.version': '2.1', 'oslo.message': '{}' })).to.match(/unsupported/);
    expect(bad({ 'oslo.version': 2, 'oslo.message': '{}' })).to.match(/unsupported/);
    expect(bad({ 'oslo.version': '2.0', 'oslo.message': 5 })).to.match(/not a string/);
    expect(bad({ 'oslo.version': '2.0', 'oslo.message': '{"tok": "s3cret"' })).to.match(/not valid JSON/).and.not.include('s3cret');
    expect(unwrapEnvelope({ 'oslo.version': '2.0.0', 'oslo.message': 'null' })._tag).to.equal('Right');
  });

  it('property: unwrap(wrap(x)) is x; unwrap never throws', () => {
    fc.assert(fc.property(fc.jsonValue(), (x) => {
      expect(unwrapEnvelope(wrapEnvelope(x))).to.deep.equal({ _tag: 'Right', right: { message: x, enveloped: true } });
    }), { numRuns: 200 });
    fc.assert(fc.property(fc.anything(), fc.anything(), (v, m) => {
      unwrapEnvelope({ 'oslo.version': v, 'oslo.message': m });
      unwrapEnvelope(v);
    }), { numRuns: 300 });
  });
});
