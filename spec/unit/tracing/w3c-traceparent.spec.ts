/**
 * The W3C traceparent codec used when no global propagator is registered.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { formatTraceparent, parseTraceparent } from '../../../lib/tracing/w3c-traceparent';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('traceparent', () => {
  it('formats version 00 with two-digit flags', () => {
    expect(formatTraceparent({ traceId: TRACE, spanId: SPAN, traceFlags: 1 })).to.equal(`00-${TRACE}-${SPAN}-01`);
    expect(formatTraceparent({ traceId: TRACE, spanId: SPAN, traceFlags: 0 })).to.equal(`00-${TRACE}-${SPAN}-00`);
  });

  it('parses what it formats, and future versions with more fields', () => {
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-01`)).to.deep.equal({ traceId: TRACE, spanId: SPAN, traceFlags: 1 });
    expect(parseTraceparent(`01-${TRACE}-${SPAN}-00-whatever`)).to.deep.equal({ traceId: TRACE, spanId: SPAN, traceFlags: 0 });
  });

  it('refuses what the W3C spec says to ignore', () => {
    for (const bad of [
      undefined,
      42,
      '',
      `ff-${TRACE}-${SPAN}-01`,
      `00-${TRACE}-${SPAN}-01-extra`,
      `00-${'0'.repeat(32)}-${SPAN}-01`,
      `00-${TRACE}-${'0'.repeat(16)}-01`,
      `00-${TRACE.toUpperCase()}-${SPAN}-01`,
      `00-${TRACE}-${SPAN}`,
    ]) {
      expect(parseTraceparent(bad), String(bad)).to.equal(undefined);
    }
  });

  it('never throws, whatever it is given', () => {
    fc.assert(fc.property(fc.anything(), (v) => {
      parseTraceparent(v);
    }));
    fc.assert(fc.property(fc.string(), (s) => {
      const p = parseTraceparent(s);
      return p === undefined || parseTraceparent(formatTraceparent(p)) !== undefined;
    }));
  });
});
