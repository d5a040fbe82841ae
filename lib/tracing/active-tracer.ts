/**
 * The tracer to use right now, or nothing when no tracer provider is registered.
 * @module
 */
import type { Tracer, TracerProvider } from '@opentelemetry/api';
import { type OtelApi, otelApi } from './otel-api';

/** The instrumentation scope name of oslo-rx's spans. */
export const TRACER_NAME = 'oslo-rx';

/** The OpenTelemetry API and oslo-rx's tracer from the registered provider. */
export interface ActiveTracer {
  /** The API module. */
  readonly api: OtelApi;
  /** oslo-rx's tracer. */
  readonly tracer: Tracer;
}

let noopProvider: TracerProvider | undefined;
let cached: { provider: TracerProvider; active: ActiveTracer } | undefined;

/**
 * oslo-rx's tracer, or undefined when the API is not installed or no tracer provider is
 * registered (the global provider is the API's no-op one). Cheap enough to ask on every
 * call: a global lookup and two comparisons; the tracer is taken once per provider.
 */
export function activeTracer(): ActiveTracer | undefined {
  const api = otelApi();
  if (!api) return undefined;
  const global = api.trace.getTracerProvider();
  const provider = global instanceof api.ProxyTracerProvider ? global.getDelegate() : global;
  // a fresh proxy's delegate is the API's own no-op provider (a module singleton)
  noopProvider ??= new api.ProxyTracerProvider().getDelegate();
  if (provider === noopProvider) return undefined;
  if (cached?.provider !== provider) cached = { provider, active: { api, tracer: provider.getTracer(TRACER_NAME) } };
  return cached.active;
}
