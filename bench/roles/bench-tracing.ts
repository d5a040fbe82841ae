/**
 * Tracing on in a benchmark process: a registered tracer provider whose spans are batched
 * and then dropped (what an exporter does costs the application little; making the spans,
 * their context and traceparent is what is measured), the AsyncLocalStorage context manager
 * and the W3C propagator, as an application with the OpenTelemetry SDK has.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';

/** An exporter that accepts every batch and keeps nothing. */
const dropping: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: () => Promise.resolve(),
};

/** Registers the provider, context manager and propagator globally in this process. */
export function enableBenchTracing(): void {
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropping)] }));
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}
