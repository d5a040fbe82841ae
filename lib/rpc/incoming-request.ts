/**
 * A request received by an RPC server, with the means to answer it.
 * @module
 */
import { firstValueFrom } from 'rxjs';
import type { Message } from 'rhea-promise';
import { type IncomingDelivery, MessageDeliveryFailure, type MessagingTransport, requeueDelivery } from '../amqp';
import { type MessageId, type RpcReply, buildHeartbeatMessage, buildReplyMessage, failureReply, responseReply } from '../wire';
import type { RpcContext } from './rpc-client';
import type { MessageSpan } from '../tracing/message-span';

/** What a server received: the method to run, its arguments and context. */
export interface RpcRequestFields {
  /** The method name. */
  readonly method: string;
  /** The keyword arguments. */
  readonly args: Readonly<Record<string, unknown>>;
  /** The request context (a plain object; `{}` when the caller sent none). */
  readonly context: RpcContext;
  /** The namespace the caller targeted, if any. */
  readonly namespace?: string;
  /** The version the caller needs, if any (endpoints assume `1.0`). */
  readonly version?: string;
  /** The caller's call-monitor timeout: heartbeats are due every half of it. */
  readonly callMonitorTimeoutMs?: number;
}

/**
 * One request from an {@link rpcServer} stream. A call (`isCall`) expects exactly one
 * {@link reply} or {@link fail}; a cast expects none (both are then no-ops). Settle the
 * message with {@link ack} (done) or {@link requeue} (give it back to the intermediary);
 * until then it holds one unit of the server's credit.
 */
export class IncomingRequest implements RpcRequestFields {
  /** @inheritDoc */
  readonly method: string;
  /** @inheritDoc */
  readonly args: Readonly<Record<string, unknown>>;
  /** @inheritDoc */
  readonly context: RpcContext;
  /** @inheritDoc */
  readonly namespace?: string;
  /** @inheritDoc */
  readonly version?: string;
  /** @inheritDoc */
  readonly callMonitorTimeoutMs?: number;
  private answered = false;
  private answerSent = false;

  /**
   * @param fields the decoded request
   * @param delivery the AMQP delivery it came in
   * @param transport where replies go out
   * @param messageId the request's message-id (calls)
   * @param replyTo the caller's reply address (calls)
   * @param countRequeues requeue as `modified` with delivery-failed, so the intermediary counts
   *   the attempt (set when the server has a `maxDeliveries` budget)
   * @param span the server span of handling it (tracing on), ended once the request is
   *   settled and, for a call settled as accepted, answered
   */
  constructor(
    fields: RpcRequestFields,
    readonly delivery: IncomingDelivery,
    private readonly transport: MessagingTransport,
    private readonly messageId?: MessageId,
    private readonly replyTo?: string,
    private readonly countRequeues = false,
    private readonly span?: MessageSpan,
  ) {
    this.method = fields.method;
    this.args = fields.args;
    this.context = fields.context;
    if (fields.namespace !== undefined) this.namespace = fields.namespace;
    if (fields.version !== undefined) this.version = fields.version;
    if (fields.callMonitorTimeoutMs !== undefined) this.callMonitorTimeoutMs = fields.callMonitorTimeoutMs;
    if (span) delivery.whenSettled(() => this.endSpanIfDone());
  }

  /** True for a call (the caller waits for a reply); false for a cast. */
  get isCall(): boolean {
    return this.replyTo !== undefined && this.messageId !== undefined;
  }

  /**
   * Runs `fn` with this request's server span active (when tracing is on), so the spans the
   * handler starts, and the calls it makes, are its children. `dispatch` runs methods so.
   */
  withTraceContext<T>(fn: () => T): T {
    return this.span ? this.span.run(fn) : fn();
  }

  /** True once {@link reply} or {@link fail} was called. */
  get isAnswered(): boolean {
    return this.answered;
  }

  /**
   * Sends `result` to the caller. Resolves when sent; a second answer is ignored. A result
   * that cannot be encoded (a circular object, a `toJSON` that throws; a BigInt crosses as an int) is answered with a `TypeError`
   * failure instead, so the caller is not left waiting, and the returned Promise rejects
   * with `MessageDeliveryFailure` saying why.
   */
  reply(result: unknown): Promise<void> {
    if (!this.isCall || this.answered) return Promise.resolve();
    let message: Message;
    try {
      message = buildReplyMessage(responseReply(result), { to: this.replyTo!, correlationId: this.messageId!, pythonExactJson: this.transport.options.pythonExactJson });
    } catch (e) {
      const why = `the result of "${this.method}" cannot be encoded: ${(e as Error)?.message ?? String(e)}`;
      return this.fail(Object.assign(new TypeError(why), { pythonClass: 'TypeError', pythonModule: 'builtins' })).then(() => {
        throw new MessageDeliveryFailure(why);
      });
    }
    try {
      return this.sendAnswer(message);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Sends `error` to the caller in oslo's failure format (a Python caller sees the class
   * the error names through `pythonClass`/`pythonModule`, else `<name>` of module `oslo_rx`).
   */
  fail(error: unknown): Promise<void> {
    this.span?.fail(error);
    return this.answer(failureReply(error));
  }

  /**
   * Tells a caller that uses a call monitor the method is still running. Does nothing for
   * callers without one (a Python caller without a monitor would fail on a heartbeat).
   */
  heartbeat(): Promise<void> {
    if (!this.isCall || this.answered || this.callMonitorTimeoutMs === undefined) return Promise.resolve();
    const message = buildHeartbeatMessage({ to: this.replyTo!, correlationId: this.messageId!, callMonitorTimeoutMs: this.callMonitorTimeoutMs });
    return this.send(message, true, 'heartbeat');
  }

  /** Settles the message as accepted: processed. Returns false if it was settled already. */
  ack(): boolean {
    return this.delivery.accept();
  }

  /**
   * Gives the message back to the intermediary, which may deliver it again: `released`, or
   * `modified` with delivery-failed when the server has a `maxDeliveries` budget.
   */
  requeue(): boolean {
    return requeueDelivery(this.delivery, this.countRequeues);
  }

  private answer(reply: RpcReply): Promise<void> {
    if (!this.isCall || this.answered) return Promise.resolve();
    return this.sendAnswer(buildReplyMessage(reply, { to: this.replyTo!, correlationId: this.messageId!, pythonExactJson: this.transport.options.pythonExactJson }));
  }

  /** Sends an encoded reply: from here on the request counts as answered. */
  private sendAnswer(message: Message): Promise<void> {
    this.answered = true;
    const sent = this.send(message, this.transport.options.preSettled.includes('rpc-reply'), `reply to "${this.method}"`);
    if (!this.span) return sent;
    return sent.then(
      () => this.answerDone(),
      (e: unknown) => {
        this.answerDone(e);
        throw e;
      },
    );
  }

  private answerDone(error?: unknown): void {
    if (error !== undefined) this.span?.fail(error);
    this.answerSent = true;
    this.endSpanIfDone();
  }

  /** Ends the span once settled and, for a call settled as accepted, answered (requeued or rejected: not answered here). */
  private endSpanIfDone(): void {
    const settled = this.delivery.disposition;
    if (settled === undefined) return;
    if (!this.isCall || this.answerSent || settled !== 'accepted') this.span?.end();
  }

  private send(message: Message, preSettled: boolean, what: string): Promise<void> {
    const o = this.transport.options;
    const to = this.replyTo!;
    return firstValueFrom(
      this.transport.send(to, message, {
        preSettled,
        settlement: 'accepted',
        timeoutMs: o.defaultReplyTimeoutMs,
        retry: o.defaultReplyRetry,
        what,
      }),
    ).then(() => undefined);
  }
}
