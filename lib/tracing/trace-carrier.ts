/**
 * Trace context in an AMQP message's application properties, in and out.
 * @module
 */
import type { Context, TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import type { Message } from 'rhea-promise';
import type { OtelApi } from './otel-api';
import { formatTraceparent, parseTraceparent } from './w3c-traceparent';

/** The application properties of a message, as a propagator's carrier. */
type Carrier = Record<string, unknown>;

const setter: TextMapSetter<Carrier> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

const getter: TextMapGetter<Carrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const v = carrier[key];
    return typeof v === 'string' ? v : undefined;
  },
};

/** True when a propagator is registered globally (the API's default one writes no field). */
function hasGlobalPropagator(api: OtelApi): boolean {
  return api.propagation.fields().length > 0;
}

/**
 * Writes the trace context of `ctx` into `message.application_properties`: with the global
 * propagator when one is registered (the SDKs register W3C Trace Context and Baggage), else
 * as W3C `traceparent` and `tracestate`. Existing properties are kept.
 */
export function injectTraceContext(api: OtelApi, ctx: Context, message: Message): Message {
  const carrier: Carrier = { ...(message.application_properties ?? {}) };
  if (hasGlobalPropagator(api)) {
    api.propagation.inject(ctx, carrier, setter);
  } else {
    const span = api.trace.getSpanContext(ctx);
    if (!span || !api.isSpanContextValid(span)) return message;
    carrier.traceparent = formatTraceparent(span);
    const state = span.traceState?.serialize();
    if (state) carrier.tracestate = state;
  }
  message.application_properties = carrier;
  return message;
}

/**
 * The context the sender's trace context in `message` continues (the global propagator's
 * reading, else W3C `traceparent`/`tracestate`), on top of `base`; `base` itself when the
 * message carries none, or a malformed one.
 */
export function extractTraceContext(api: OtelApi, base: Context, message: Message): Context {
  const carrier = message.application_properties as Carrier | undefined;
  if (!carrier || typeof carrier !== 'object') return base;
  if (hasGlobalPropagator(api)) return api.propagation.extract(base, carrier, getter);
  const parent = parseTraceparent(carrier.traceparent);
  if (!parent) return base;
  const state = typeof carrier.tracestate === 'string' ? carrier.tracestate : undefined;
  return api.trace.setSpanContext(base, {
    ...parent,
    isRemote: true,
    ...(state ? { traceState: api.createTraceState(state) } : {}),
  });
}
