/**
 * Trace context into and out of application properties, with and without a global
 * propagator, and the no-provider fast path.
 */
import { expect } from 'chai';
import { ROOT_CONTEXT, TraceFlags, context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { activeTracer } from '../../../lib/tracing/active-tracer';
import { loadOtelApi } from '../../../lib/tracing/otel-api';
import { extractTraceContext, injectTraceContext } from '../../../lib/tracing/trace-carrier';

const api = loadOtelApi()!;
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const parent = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: TRACE,
  spanId: SPAN,
  traceFlags: TraceFlags.SAMPLED,
  traceState: api.createTraceState('vendor=x'),
});

for (const global of [false, true]) {
  describe(`trace context in application properties (${global ? 'global W3C propagator' : 'no global propagator'})`, () => {
    before(() => {
      if (global) propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    });
    after(() => propagation.disable());

    it('writes traceparent and tracestate, keeping other properties', () => {
      const m = injectTraceContext(api, parent, { body: 'x', application_properties: { mine: 1 } });
      expect(m.application_properties).to.deep.equal({ mine: 1, traceparent: `00-${TRACE}-${SPAN}-01`, tracestate: 'vendor=x' });
    });

    it('writes nothing for a context without a valid span', () => {
      const m = injectTraceContext(api, ROOT_CONTEXT, { body: 'x' });
      expect(m.application_properties ?? {}).to.not.have.any.keys('traceparent');
    });

    it('reads back the remote parent', () => {
      const ctx = extractTraceContext(api, ROOT_CONTEXT, { body: null, application_properties: { traceparent: `00-${TRACE}-${SPAN}-01`, tracestate: 'vendor=x' } });
      const sc = trace.getSpanContext(ctx);
      expect(sc).to.deep.include({ traceId: TRACE, spanId: SPAN, traceFlags: 1, isRemote: true });
      expect(sc?.traceState?.get('vendor')).to.equal('x');
    });

    it('ignores messages without, or with a malformed, traceparent', () => {
      for (const props of [undefined, {}, { traceparent: 'garbage' }, { traceparent: 7 }]) {
        const ctx = extractTraceContext(api, ROOT_CONTEXT, props === undefined ? { body: null } : { body: null, application_properties: props });
        expect(trace.getSpanContext(ctx), JSON.stringify(props)).to.equal(undefined);
      }
    });
  });
}

describe('activeTracer', () => {
  afterEach(() => trace.disable());

  it('is undefined while no tracer provider is registered, and a tracer once one is', () => {
    expect(activeTracer()).to.equal(undefined);
    trace.setGlobalTracerProvider(new BasicTracerProvider());
    const active = activeTracer();
    expect(active?.tracer).to.be.an('object');
    expect(activeTracer()).to.equal(active);
    trace.disable();
    expect(activeTracer()).to.equal(undefined);
    expect(context.active()).to.equal(ROOT_CONTEXT);
  });
});
