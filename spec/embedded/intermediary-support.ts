/**
 * rhea-promise clients and bounded waits for the embedded intermediary's specs.
 */
import { createConnection } from 'node:net';
import { Connection, type ConnectionOptions, type Delivery, type EventContext, type Message, type Receiver, ReceiverEvents, type Sender, SenderEvents, type Source } from 'rhea-promise';
import type { EmbeddedIntermediary } from '../../lib/embedded';
import { within } from '../support/wait';

/** The outcome a test sender saw. */
export interface SeenOutcome {
  /** accepted, rejected, released or modified. */
  readonly type: string;
  /** The rejection's error condition. */
  readonly condition?: string;
  /** The rejection's error description. */
  readonly description?: string;
  /** modified: delivery-failed. */
  readonly deliveryFailed?: boolean;
}

/** Opens rhea-promise connections to intermediaries and closes them all at the end of each test. */
export class Clients {
  private readonly open: Connection[] = [];

  /** An open connection to `intermediary`, reconnect off. */
  async connect(intermediary: Pick<EmbeddedIntermediary, 'port'>, options: Partial<ConnectionOptions> = {}): Promise<Connection> {
    // tcp_no_delay: rhea leaves Nagle on for connections without receivers, which adds ~40 ms per round trip.
    const base: ConnectionOptions = { host: '127.0.0.1', port: intermediary.port, transport: 'tcp', reconnect: false };
    const connection = new Connection(Object.assign(base, { tcp_no_delay: true }, options));
    this.open.push(connection);
    await within(connection.open(), 'the connection to open', 5000);
    return connection;
  }

  /** Closes every connection this helper opened (errors ignored: some were closed by the intermediary). */
  async closeAll(): Promise<void> {
    await Promise.all(this.open.splice(0).map((c) => within(c.close(), 'a client connection to close', 5000).catch(() => undefined)));
  }
}

/** The messages a receiver got, with a bounded wait for more. */
export class Inbox {
  /** Every message event so far, in order. */
  readonly received: EventContext[] = [];
  private waiters: Array<() => void> = [];

  /** @param receiver the receiver to record */
  constructor(receiver: Receiver) {
    receiver.on(ReceiverEvents.message, (ctx: EventContext) => {
      this.received.push(ctx);
      this.waiters.splice(0).forEach((w) => w());
    });
  }

  /** The bodies received so far. */
  get bodies(): unknown[] {
    return this.received.map((c) => c.message?.body);
  }

  /** Resolves with the first `n` message events once there are that many; fails after `ms`. */
  async count(n: number, what: string, ms = 5000): Promise<EventContext[]> {
    await within(
      new Promise<void>((resolve) => {
        const check = () => (this.received.length >= n ? resolve() : this.waiters.push(check));
        check();
      }),
      `${what} (have ${this.received.length} of ${n})`,
      ms,
    );
    return this.received.slice(0, n);
  }
}

/** Resolves once `sender` has credit. */
export function sendable(sender: Sender, ms = 5000): Promise<void> {
  if (sender.sendable()) return Promise.resolve();
  return within(new Promise<void>((resolve) => sender.once(SenderEvents.sendable, () => resolve())), 'credit for the sender', ms);
}

/** Sends `message` unsettled once the sender has credit; resolves with the outcome the intermediary gives. */
export async function send(sender: Sender, message: Message, ms = 5000): Promise<SeenOutcome> {
  await sendable(sender, ms);
  const delivery = sender.send(message);
  return outcomeOf(sender, delivery, ms);
}

/** Resolves with the outcome of `delivery`, sent on `sender`. */
export function outcomeOf(sender: Sender, delivery: Delivery, ms = 5000): Promise<SeenOutcome> {
  return within(
    new Promise<SeenOutcome>((resolve) => {
      const events = [SenderEvents.accepted, SenderEvents.rejected, SenderEvents.released, SenderEvents.modified];
      const handler = (ctx: EventContext) => {
        if (ctx.delivery !== delivery) return;
        events.forEach((e) => sender.removeListener(e, handler));
        const state = ctx.delivery.remote_state as { error?: { condition?: string; description?: string }; delivery_failed?: boolean } | undefined;
        resolve({
          type: (ctx.delivery.remote_state as { constructor: { composite_type: string } }).constructor.composite_type,
          condition: state?.error?.condition,
          description: state?.error?.description,
          deliveryFailed: state?.delivery_failed ?? undefined,
        });
      };
      events.forEach((e) => sender.on(e, handler));
    }),
    'the outcome of a send',
    ms,
  );
}

/** Resolves once `predicate` holds, checking every 10 ms; fails after `ms` naming `what`. */
export async function until(predicate: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Resolves with the error a promise rejects with; fails if it resolves. */
export async function rejection(promise: Promise<unknown>, what: string, ms = 5000): Promise<unknown> {
  try {
    await within(promise, what, ms);
  } catch (e) {
    return e;
  }
  throw new Error(`expected ${what} to fail`);
}

/** A source asking the intermediary for a temporary address (rhea's types insist on an address). */
export function dynamicSource(): Source {
  return { dynamic: true } as unknown as Source;
}

/** The AMQP error of a link the intermediary refuses: from the failed attach, or from the detach that follows it. */
export async function linkRefusal(create: Promise<Sender | Receiver>, ms = 5000): Promise<{ condition?: string; description?: string }> {
  let link: Sender | Receiver;
  try {
    link = await within(create, 'the link attach', ms);
  } catch (e) {
    return e as { condition?: string; description?: string };
  }
  const known = link.error as { condition?: string } | undefined;
  if (known?.condition) return known;
  return within(
    new Promise((resolve) => {
      const done = () => resolve((link.error ?? {}) as { condition?: string; description?: string });
      link.once(SenderEvents.senderError, done);
      link.once(ReceiverEvents.receiverError, done);
    }),
    'the link to be detached with an error',
    ms,
  );
}

/** Writes `bytes` to a raw socket on `port` and collects what comes back until the intermediary closes it. */
export function rawExchange(port: number, bytes: Buffer, ms = 5000): Promise<Buffer> {
  return within(
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write(bytes));
      socket.on('data', (c) => chunks.push(c));
      socket.on('error', reject);
      socket.on('close', () => resolve(Buffer.concat(chunks)));
    }),
    'the intermediary to close a raw connection',
    ms,
  );
}
