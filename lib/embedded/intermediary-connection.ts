/**
 * One client connection of the embedded intermediary: its rhea connection, its
 * links, and everything that can go wrong on it.
 * @module
 */
import type { Socket } from 'node:net';
import type { AmqpError, Connection, Container, EventContext, Receiver, Sender, Session } from 'rhea';
import type { AddressKind, AddressPatterns } from './address-patterns';
import { AMQP_CONDITIONS } from './amqp-conditions';
import { Consumer } from './consumer';
import { FrameSizeGuard } from './frame-size-guard';
import type { IntermediaryLogger, ResolvedIntermediaryOptions } from './intermediary-options';
import type { StatsCounters } from './intermediary-stats';
import { type AddressRules, answerConsumerAttach, answerProducerAttach } from './link-attach';
import type { LinkRole, Personality } from './personality';
import { Producer } from './producer';
import { acceptConnection, closeConnectionNow } from './rhea-internals';
import { TransferCapture } from './transfer-capture';

/** What every connection of one intermediary shares. */
export interface IntermediaryContext {
  /** The rhea container (SASL mechanisms, container id). */
  readonly container: Container;
  /** Broker or router. */
  readonly personality: Personality;
  /** Queue, topic and refuse patterns. */
  readonly patterns: AddressPatterns;
  /** The resolved options. */
  readonly options: ResolvedIntermediaryOptions;
  /** Shared counters. */
  readonly stats: StatsCounters;
  /** Properties of the Open frame the intermediary sends. */
  readonly openProperties: Readonly<Record<string, string>>;
  /** Log sink (never throws). */
  readonly log: IntermediaryLogger;
  /** The SASL mechanisms offered on an accepted socket (see `serverMechanisms`). */
  readonly saslMechanisms: (socket: Socket) => object;
}

type Link = Consumer | Producer;

function describe(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  const error = e as { condition?: string; description?: string } | undefined;
  return error?.condition ? `${error.condition}${error.description ? ` (${error.description})` : ''}` : String(e);
}

/**
 * Serves one accepted socket: SASL and Open through rhea, link attaches checked and
 * answered, links handed to the personality, and every error turned into an AMQP
 * error on the link or connection, never an exception that escapes.
 */
export class IntermediaryConnection implements AddressRules {
  private readonly conn: Connection;
  private readonly guard: FrameSizeGuard;
  private readonly capture: TransferCapture;
  private readonly links = new Map<Link, Session>();
  private readonly ended: Promise<void>;
  private linkCounter = 0;
  private discarding = false;
  private isEnded = false;
  private graceTimer: NodeJS.Timeout | undefined;

  /**
   * @param id log id (`c3`)
   * @param socket the accepted socket
   * @param ctx what all connections share
   * @param onEnded called once when the socket has closed
   */
  constructor(
    readonly id: string,
    private readonly socket: Socket,
    private readonly ctx: IntermediaryContext,
    onEnded: (connection: IntermediaryConnection) => void,
  ) {
    const { options } = ctx;
    this.guard = new FrameSizeGuard(options.maxFrameSize);
    this.capture = new TransferCapture(options.maxMessageSize);
    this.ended = new Promise((resolve) => {
      socket.once('close', () => {
        this.end();
        onEnded(this);
        resolve();
      });
    });
    socket.setNoDelay(true);
    this.conn = acceptConnection(
      ctx.container,
      socket,
      {
        id,
        container_id: ctx.container.id,
        properties: ctx.openProperties,
        offered_capabilities: ['ANONYMOUS-RELAY'],
        max_frame_size: options.maxFrameSize,
        autoaccept: false,
        autosettle: true,
        credit_window: 0,
        treat_modified_as_released: false,
        reconnect: false,
      },
      {
        input: (chunk, pass) => this.input(chunk, pass),
        transfer: (link, payload, more) => this.capture.onFrame(link, payload, more),
        processError: (e) => {
          this.log(`error while writing frames: ${describe(e)}`);
          this.dropLinks('internal error');
          this.socket.destroy();
        },
      },
      ctx.saslMechanisms(socket),
    );
    this.listen();
  }

  /** Why a link may not use `address` (empty, refused by pattern, or by the personality). */
  refusal(address: string, role: LinkRole): AmqpError | undefined {
    if (address === '') return { condition: AMQP_CONDITIONS.invalidField, description: 'empty address' };
    if (this.ctx.patterns.isRefused(address)) {
      return { condition: AMQP_CONDITIONS.unauthorizedAccess, description: `address "${address}" is refused by this intermediary` };
    }
    return this.ctx.personality.refusal(address, role);
  }

  /** Whether `address` is a queue or a topic. */
  kindOf(address: string): AddressKind {
    return this.ctx.patterns.kindOf(address);
  }

  /**
   * Closes the connection with `amqp:connection:forced` (clients may reconnect
   * elsewhere) and resolves once the socket has closed; after `graceMs` the socket
   * is destroyed.
   */
  shutdown(graceMs: number): Promise<void> {
    if (!this.isEnded) {
      this.guarded(() => closeConnectionNow(this.conn, { condition: AMQP_CONDITIONS.forced, description: 'the intermediary is stopping' }));
      this.socket.end();
      this.graceTimer ??= setTimeout(() => this.socket.destroy(), graceMs);
    }
    return this.ended;
  }

  private log(line: string): void {
    this.ctx.log(`${this.id} ${line}`);
  }

  private listen(): void {
    const conn = this.conn;
    const on = <T = EventContext>(event: string, handler: (arg: T) => void) => conn.on(event, (arg: T) => this.guarded(() => handler(arg)));
    on('connection_open', () => {
      const remote = (conn as { container_id?: string }).container_id;
      this.log(`open from ${remote ?? '?'}`);
    });
    // rhea hands on the outcomes of a disposition read just before a close only on its next
    // pass: let that pass run before the links' unsettled deliveries count as lost
    const later = (f: () => void) => process.nextTick(f);
    on('connection_close', () => later(() => this.dropLinks('closed by the client')));
    on('connection_error', (c) => {
      const why = describe(c.connection.error);
      later(() => this.dropLinks(`closed by the client: ${why}`));
    });
    on('disconnected', () => later(() => this.dropLinks('disconnected')));
    on<unknown>('protocol_error', (e) => this.fail(AMQP_CONDITIONS.decodeError, e));
    // rhea reports bad input (unknown performatives, bad fields, frame sequence errors) as 'error' too;
    // exceptions of the intermediary's own handlers are caught in guarded() and named internal-error.
    on<unknown>('error', (e) => this.fail(AMQP_CONDITIONS.decodeError, e));
    on('session_close', (c) => later(() => this.dropSession(c.session)));
    on('session_error', (c) => later(() => this.dropSession(c.session)));
    on('sender_open', (c) => this.consumerAttached(c.sender!));
    on('receiver_open', (c) => this.producerAttached(c.receiver!));
    for (const event of ['sender_close', 'sender_error', 'receiver_close', 'receiver_error']) {
      on(event, () => undefined); // refused links, which have no handler of their own
    }
  }

  /** Runs `fn`; an exception closes the connection instead of escaping into rhea or a timer. */
  private guarded(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.fail(AMQP_CONDITIONS.internalError, e);
    }
  }

  private fail(condition: string, e: unknown): void {
    this.log(`error: ${describe(e)}`);
    try {
      closeConnectionNow(this.conn, { condition, description: describe(e) });
    } catch (second) {
      this.log(`could not close: ${describe(second)}`);
      this.socket.destroy();
    }
    this.dropLinks('connection failed');
  }

  private input(chunk: Buffer, pass: (bytes: Buffer) => void): void {
    if (this.discarding) return;
    const check = this.guard.check(chunk);
    if (check.ok) {
      pass(chunk);
      return;
    }
    if (check.safeBytes > 0) pass(chunk.subarray(0, check.safeBytes));
    this.discarding = true;
    const description = `frame of ${check.frameSize} bytes is outside 8..${this.ctx.options.maxFrameSize} (max-frame-size)`;
    this.log(description);
    this.guarded(() => closeConnectionNow(this.conn, { condition: AMQP_CONDITIONS.framingError, description }));
    this.dropLinks('framing error');
    this.socket.end();
    this.graceTimer ??= setTimeout(() => this.socket.destroy(), 1000);
  }

  private nextLinkId(): string {
    return `${this.id}/l${++this.linkCounter}`;
  }

  private consumerAttached(sender: Sender): void {
    const id = this.nextLinkId();
    const answer = answerConsumerAttach(sender, this);
    if (!answer.ok) {
      this.refuse(id, sender, answer.error);
      return;
    }
    const address = answer.address!;
    const { personality } = this.ctx;
    if (answer.dynamic) personality.declareDynamic(address);
    const consumer = new Consumer(id, address, sender, {
      credit: (c) => this.guarded(() => personality.consumerCredit(c)),
      closed: (c) => {
        this.links.delete(c);
        this.log(`${c.id} consumer detached from ${c.address}`);
        this.guarded(() => personality.removeConsumer(c));
      },
    });
    this.links.set(consumer, sender.session);
    this.log(`${id} consumer attached to ${address}${answer.dynamic ? ' (dynamic)' : ''}`);
    personality.addConsumer(consumer);
  }

  private producerAttached(receiver: Receiver): void {
    const id = this.nextLinkId();
    const { options, personality, stats } = this.ctx;
    const answer = answerProducerAttach(receiver, this, options.maxMessageSize);
    if (!answer.ok) {
      this.refuse(id, receiver, answer.error);
      return;
    }
    const settings = { window: options.creditWindow, maxMessageSize: options.maxMessageSize, capture: this.capture, stats };
    const producer = new Producer(id, answer.address, receiver, settings, {
      allowance: (p) => personality.allowance(p),
      refusal: (address) => this.refusal(address, 'producer'),
      transfer: (t) => this.guarded(() => personality.route(t)),
      closed: (p) => {
        this.links.delete(p);
        this.log(`${p.id} producer detached from ${p.address ?? '(anonymous relay)'}`);
        this.guarded(() => personality.removeProducer(p));
      },
    });
    this.links.set(producer, receiver.session);
    this.log(`${id} producer attached to ${answer.address ?? '(anonymous relay)'}`);
    personality.addProducer(producer);
    producer.refill();
  }

  private refuse(id: string, link: Sender | Receiver, error: AmqpError): void {
    this.log(`${id} link refused: ${describe(error)}`);
    link.close(error);
  }

  private dropSession(session: Session | undefined): void {
    for (const [link, s] of [...this.links]) if (s === session) link.closed();
  }

  private dropLinks(reason: string): void {
    if (this.links.size > 0) this.log(`dropping ${this.links.size} links: ${reason}`);
    for (const link of [...this.links.keys()]) link.closed();
  }

  private end(): void {
    if (this.isEnded) return;
    this.isEnded = true;
    clearTimeout(this.graceTimer);
    this.dropLinks('socket closed');
    this.log('connection ended');
  }
}
