/**
 * The optional `@opentelemetry/api` peer dependency, loaded once, lazily, when present.
 * @module
 */
import type * as Otel from '@opentelemetry/api';

/** The parts of `@opentelemetry/api` oslo-rx uses. */
export type OtelApi = typeof Otel;

/** The module id of the OpenTelemetry API. */
export const OTEL_API_MODULE = '@opentelemetry/api';

/**
 * Loads the OpenTelemetry API with `load` (Node's `require` by default), or returns undefined
 * when it is not installed (or is not the API: no `trace` and `propagation` in it), so
 * oslo-rx works without it. Any other failure to load it is thrown: a broken install should
 * be seen, not hidden as "tracing off".
 */
export function loadOtelApi(load: (id: string) => unknown = require): OtelApi | undefined {
  let api: unknown;
  try {
    api = load(OTEL_API_MODULE);
  } catch (e) {
    if (isModuleNotFound(e)) return undefined;
    throw e;
  }
  const candidate = api as Partial<OtelApi> | undefined;
  return candidate?.trace && candidate.propagation && candidate.context ? (candidate as OtelApi) : undefined;
}

/** True for Node's error when a module cannot be found (not one thrown while loading it). */
function isModuleNotFound(e: unknown): boolean {
  const err = e as { code?: string; message?: string } | undefined;
  return err?.code === 'MODULE_NOT_FOUND' && (err.message ?? '').includes(OTEL_API_MODULE);
}

let loaded: { api: OtelApi | undefined } | undefined;

/** The OpenTelemetry API if it is installed (loaded on the first call, then remembered). */
export function otelApi(): OtelApi | undefined {
  loaded ??= { api: loadOtelApi() };
  return loaded.api;
}
