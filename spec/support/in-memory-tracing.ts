/**
 * An OpenTelemetry tracer provider with an in-memory exporter, registered globally for one
 * mocha suite (and removed after it, so other suites run with tracing off).
 */
import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { until } from './wait';

/** What a suite with tracing on reads its spans from. */
export interface InMemoryTracing {
  /** The spans ended so far (since the last `reset`). */
  spans(): ReadableSpan[];
  /** Forgets the spans ended so far. */
  reset(): void;
  /** Waits (bounded) until an ended span matches `predicate`, and returns it. */
  waitForSpan(what: string, predicate: (s: ReadableSpan) => boolean, ms?: number): Promise<ReadableSpan>;
}

/** Options of {@link useInMemoryTracing}. */
export interface InMemoryTracingOptions {
  /**
   * Also register the W3C Trace Context propagator globally (as the SDKs do); without it
   * oslo-rx writes `traceparent` itself. Default true.
   */
  readonly propagator?: boolean;
}

/**
 * Registers (in `before`) a global tracer provider exporting to memory, an AsyncLocalStorage
 * context manager and, unless told not to, the W3C propagator; removes them in `after`.
 * Call it inside a `describe`.
 */
export function useInMemoryTracing(options: InMemoryTracingOptions = {}): InMemoryTracing {
  const exporter = new InMemorySpanExporter();
  let provider: BasicTracerProvider | undefined;
  before(() => {
    provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    trace.setGlobalTracerProvider(provider);
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    if (options.propagator ?? true) propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  after(async () => {
    trace.disable();
    context.disable();
    propagation.disable();
    await provider?.shutdown();
  });
  const spans = () => exporter.getFinishedSpans();
  return {
    spans,
    reset: () => exporter.reset(),
    async waitForSpan(what, predicate, ms = 10_000) {
      await until(() => spans().some(predicate), `a span: ${what}`, ms);
      return spans().find(predicate)!;
    },
  };
}

/** The kinds of `spans` by name (`CLIENT`, `SERVER`, `PRODUCER`, `CONSUMER`, `INTERNAL`), each once. */
export function tracedSpanKinds(spans: readonly ReadableSpan[]): string[] {
  return [...new Set(spans.map((s) => SpanKind[s.kind]))];
}
