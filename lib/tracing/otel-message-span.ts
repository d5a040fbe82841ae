/**
 * {@link MessageSpan} over an OpenTelemetry span.
 * @module
 */
import type { Context, Exception, Span } from '@opentelemetry/api';
import type { Message } from 'rhea-promise';
import type { MessageSpan } from './message-span';
import type { OtelApi } from './otel-api';
import { ATTR } from './span-attributes';
import { injectTraceContext } from './trace-carrier';

/** {@link MessageSpan} over an OpenTelemetry span. */
export class OtelMessageSpan implements MessageSpan {
  private ended = false;
  private failed = false;

  /**
   * @param api the OpenTelemetry API
   * @param span the span
   * @param context the context with `span` active
   */
  constructor(
    private readonly api: OtelApi,
    private readonly span: Span,
    private readonly context: Context,
  ) {}

  inject(message: Message): Message {
    if (typeof message.to === 'string') this.span.setAttribute(ATTR.destinationName, message.to);
    if (typeof message.message_id === 'string') this.span.setAttribute(ATTR.messageId, message.message_id);
    return injectTraceContext(this.api, this.context, message);
  }

  fail(error: unknown): void {
    if (this.ended || this.failed) return;
    this.failed = true;
    const e = error instanceof Error ? error : new Error(String(error));
    this.span.recordException(e as Exception);
    this.span.setAttribute(ATTR.errorType, errorType(e));
    this.span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: e.message });
  }

  end(error?: unknown): void {
    if (this.ended) return;
    if (error !== undefined) this.fail(error);
    this.ended = true;
    this.span.end();
  }

  cancel(): void {
    if (this.ended) return;
    this.span.setAttribute(ATTR.cancelled, true);
    this.end();
  }

  run<T>(fn: () => T): T {
    return this.api.context.with(this.context, fn);
  }
}

/** `error.type`: the Python class a remote error names, else the error's name. */
function errorType(e: Error): string {
  const remote = e as Error & { className?: string; pythonClass?: string };
  return remote.className ?? remote.pythonClass ?? e.name;
}
