/**
 * Spans of what oslo-rx sends: calls, casts and notifications.
 * @module
 */
import { activeTracer } from './active-tracer';
import type { MessageSpan } from './message-span';
import { OtelMessageSpan } from './otel-message-span';
import { notificationAttributes, rpcAttributes } from './span-attributes';

/** What is sent: an RPC call (a CLIENT span), a cast or a notification (PRODUCER spans). */
export type SendSpanKind = 'call' | 'cast' | 'notify';

/**
 * Starts the span of one call, cast or notification, a child of the active span; returns
 * undefined (and costs a global lookup) when no tracer provider is registered.
 *
 * - `call` and `cast`: `name` is the method and `target` the topic; the span is named
 *   `<topic>/<method>` (as RPC spans are) with `rpc.*` attributes.
 * - `notify`: `name` is the event type and `target` the topic and priority
 *   (`notifications.info`); the span is named `send <target>`.
 *
 * Put its context on the message with {@link MessageSpan.inject}, end it with
 * {@link MessageSpan.end} (a call on its reply, error or timeout, a cast or notification on
 * the intermediary's outcome) or {@link MessageSpan.cancel}.
 */
export function startSendSpan(kind: SendSpanKind, name: string, target: string): MessageSpan | undefined {
  const active = activeTracer();
  if (!active) return undefined;
  const { api, tracer } = active;
  const rpc = kind !== 'notify';
  const parent = api.context.active();
  const span = tracer.startSpan(
    rpc ? `${target}/${name}` : `send ${target}`,
    {
      kind: kind === 'call' ? api.SpanKind.CLIENT : api.SpanKind.PRODUCER,
      attributes: kind === 'notify' ? notificationAttributes('notify', name) : rpcAttributes(kind, target, name),
    },
    parent,
  );
  return new OtelMessageSpan(api, span, api.trace.setSpan(parent, span));
}
