/**
 * Tracing with OpenTelemetry, when `@opentelemetry/api` is installed and a tracer provider
 * registered; nothing otherwise.
 * @module
 */
export { type MessageSpan } from './message-span';
export { type SendSpanKind, startSendSpan } from './start-send-span';
export { type ReceiveSpanKind, startReceiveSpan } from './start-receive-span';
export { tracedBy } from './traced-by';
export { loadOtelApi, otelApi } from './otel-api';
export { activeTracer } from './active-tracer';
export { formatTraceparent, parseTraceparent, type Traceparent } from './w3c-traceparent';
