/**
 * The handle on one oslo-rx span: what call sites do with it, in a line each (no
 * OpenTelemetry type in it, so the public types never need the optional package).
 * @module
 */
import type { Message } from 'rhea-promise';

/**
 * One oslo-rx span of a message sent or handled (what `IncomingRequest` and
 * `IncomingNotification` hold). Only made while a tracer provider is registered
 * (the `start*Span` functions return undefined otherwise), so call sites write `span?.end()`.
 */
export interface MessageSpan {
  /**
   * Puts this span's trace context (`traceparent`, `tracestate`) into the message's
   * application properties and names the destination (`message.to`); returns the message.
   */
  inject(message: Message): Message;
  /** Marks the span failed with `error` (status ERROR, the exception recorded), without ending it. */
  fail(error: unknown): void;
  /** Ends the span, failed with `error` when one is given; later calls do nothing. */
  end(error?: unknown): void;
  /** Ends the span as cancelled (the caller went away): not an error. */
  cancel(): void;
  /** Runs `fn` with this span as the active one, so spans started inside are its children. */
  run<T>(fn: () => T): T;
}
