/**
 * Spans of what oslo-rx receives and handles: server requests and notifications.
 * @module
 */
import type { Message } from 'rhea-promise';
import { activeTracer } from './active-tracer';
import type { MessageSpan } from './message-span';
import { OtelMessageSpan } from './otel-message-span';
import { ATTR, notificationAttributes, rpcAttributes } from './span-attributes';
import { extractTraceContext } from './trace-carrier';

/** What is handled: a request at an RPC server (a SERVER span), a notification at a listener (a CONSUMER span). */
export type ReceiveSpanKind = 'dispatch' | 'process';

/**
 * Starts the span of handling one received message, continuing the sender's trace: its
 * parent is the span whose context the message's application properties carry (the
 * caller's call or cast span, the notifier's send span); a root span when they carry none.
 * Returns undefined (and costs a global lookup) when no tracer provider is registered.
 *
 * - `dispatch`: `name` is the method and `target` the topic; named `<topic>/<method>`.
 * - `process`: `name` is the event type and `target` the topic and priority; named `process <target>`.
 */
export function startReceiveSpan(kind: ReceiveSpanKind, name: string, target: string, message: Message): MessageSpan | undefined {
  const active = activeTracer();
  if (!active) return undefined;
  const { api, tracer } = active;
  const parent = extractTraceContext(api, api.context.active(), message);
  const dispatching = kind === 'dispatch';
  const span = tracer.startSpan(
    dispatching ? `${target}/${name}` : `process ${target}`,
    {
      kind: dispatching ? api.SpanKind.SERVER : api.SpanKind.CONSUMER,
      attributes: dispatching ? rpcAttributes('dispatch', target, name) : notificationAttributes('process', name),
    },
    parent,
  );
  if (typeof message.to === 'string') span.setAttribute(ATTR.destinationName, message.to);
  if (typeof message.message_id === 'string') span.setAttribute(ATTR.messageId, message.message_id);
  return new OtelMessageSpan(api, span, api.trace.setSpan(parent, span));
}
