/**
 * The few parts of rhea 3 that its typings do not describe and that the embedded
 * intermediary relies on, each behind one small typed function. Nothing else in
 * `lib/embedded/` reaches into rhea's internals, so a rhea upgrade is checked here.
 * @module
 */
import type { Socket } from 'node:net';
// Named imports on purpose: rhea's module is a Container instance whose API lives on its prototype,
// which `import * as` (TypeScript's __importStar copies own properties only) would lose in compiled code.
import { message, types } from 'rhea';
import type { AmqpError, Connection, ConnectionOptions, Container, Delivery, Message, Receiver, Sender, Session } from 'rhea';

/** An AMQP state or section built by rhea that can be written to the wire. */
export interface Describable {
  /** The described-type form rhea writes. */
  described(): unknown;
}

interface TransferFrame {
  readonly performative: { readonly handle: number; readonly more?: boolean | null };
  readonly payload?: Buffer;
}

interface AttachFrame {
  readonly performative: { readonly name: string; readonly handle: number; readonly role: boolean };
}

interface InternalLink {
  readonly name: string;
  is_sender(): boolean;
  on_attach(frame: AttachFrame): void;
  remote: { attach?: unknown; handle?: number };
  credit: number;
  local: { handle: number; attach: { snd_settle_mode?: number; rcv_settle_mode?: number; max_message_size?: number } };
  delivery_count: number;
}

type LinkConstructor = new (session: InternalSession, name: string, handle: number, options: unknown) => InternalLink;

interface PendingDisposition {
  readonly id: number;
  readonly settled: boolean;
  readonly state?: unknown;
}

/** rhea's per-session delivery bookkeeping; `process` writes what `list` holds as disposition frames. */
interface DispositionQueue {
  process(session: InternalSession): void;
  updated: PendingDisposition[];
  pending_dispositions: PendingDisposition[];
}

interface InternalSession extends Session {
  incoming: DispositionQueue;
  outgoing: DispositionQueue & { next_pending_delivery: number };
  on_transfer(frame: TransferFrame): void;
  on_attach(frame: AttachFrame): void;
  create_link(name: string, constructor: unknown, options: unknown): InternalLink;
  remove_link(link: InternalLink): void;
  create_sender(name: string): InternalLink;
  create_receiver(name: string): InternalLink;
  links: Record<string, InternalLink | undefined>;
  local: { handles: Record<number, InternalLink | undefined> };
  remote: { handles: Record<number, Sender | Receiver | InternalLink | undefined> };
}

interface InternalConnection extends Connection {
  accept(socket: Socket): InternalConnection;
  input(chunk: Buffer): void;
  create_session(size?: unknown): InternalSession;
  _process(): void;
}

interface InternalDelivery {
  readonly id: number;
  settled: boolean;
  remote_settled: boolean;
}

interface MessageBuilders {
  are_outcomes_equivalent(a: unknown, b: unknown): boolean;
  header(fields: Record<string, unknown>): Describable;
  accepted(): Describable;
  released(): Describable;
  rejected(fields: { error?: AmqpError }): Describable;
  modified(fields: { delivery_failed?: boolean; undeliverable_here?: boolean }): Describable;
}

interface AmqpReader {
  read(): { descriptor?: { value: unknown } };
  readonly position: number;
}

interface AmqpWriter {
  write(value: unknown): void;
  toBuffer(): Buffer;
}

interface CodecTypes {
  Reader: new (buffer: Buffer) => AmqpReader;
  Writer: new () => AmqpWriter;
}

/** Sees each transfer frame's payload, for `link`, before rhea decodes the message it completes. */
export type TransferHook = (link: Sender | Receiver, payload: Buffer | undefined, more: boolean) => void;

/** Hooks installed on a server-side connection before it reads its first byte. */
export interface ConnectionHooks {
  /**
   * Sees every chunk read from the socket first; `pass` hands (part of) it to rhea.
   * Not calling `pass` drops the chunk.
   */
  readonly input: (chunk: Buffer, pass: (bytes: Buffer) => void) => void;
  /** Sees every transfer frame. */
  readonly transfer: TransferHook;
  /**
   * Gets what rhea's deferred frame writer throws (it runs on a later tick, outside
   * any try/catch, where an exception would end the process).
   */
  readonly processError: (error: unknown) => void;
}

/**
 * Makes `hook` see the payload of every transfer frame of `connection`'s sessions
 * (install it before the connection opens; works for client and server connections).
 */
export function interceptTransfers(connection: Connection, hook: TransferHook): void {
  const conn = connection as InternalConnection;
  const createSession = conn.create_session.bind(conn);
  conn.create_session = (size?: unknown) => {
    const session = createSession(size);
    const onTransfer = session.on_transfer.bind(session);
    session.on_transfer = (frame: TransferFrame) => {
      const link = session.remote.handles[frame.performative.handle] as Sender | Receiver | undefined;
      if (link) hook(link, frame.payload, frame.performative.more === true);
      onTransfer(frame);
    };
    return session;
  };
}

/** The key of a link in a session whose links are keyed by name and role. */
function linkKey(name: string, sender: boolean): string {
  return `${sender ? 'sender' : 'receiver'}:${name}`;
}

/**
 * Keys the links of every session of `connection` by (name, role) instead of by name
 * alone (install it before the connection opens; works for client and server connections).
 *
 * A link name is unique per direction in AMQP 1.0 (a receiver and a sender may share
 * one), and Qpid Proton's default names do exactly that: `container-ADDRESS` for both
 * the sender to and the receiver from one address, on one session. rhea 3 keeps a
 * session's links in one map by name, so the second attach finds the first link and
 * rhea throws "Attach already received". This replaces that map's three users
 * (`create_link`, `remove_link`, `on_attach`); everything else in rhea only iterates it.
 */
export function keyLinksByNameAndRole(connection: Connection): void {
  const conn = connection as InternalConnection;
  const createSession = conn.create_session.bind(conn);
  conn.create_session = (size?: unknown) => {
    const session = createSession(size);
    // rewritten, not wrapped: rhea's own versions read and write links[name], which may be another link's key
    session.create_link = (name, constructor, options) => {
      let handle = 0;
      while (session.local.handles[handle]) handle++;
      const link = new (constructor as LinkConstructor)(session, name, handle, options);
      session.links[linkKey(name, link.is_sender())] = link;
      session.local.handles[handle] = link;
      return link;
    };
    session.remove_link = (link) => {
      delete session.remote.handles[link.remote.handle!];
      delete session.local.handles[link.local.handle];
      const key = linkKey(link.name, link.is_sender());
      if (session.links[key] === link) delete session.links[key];
    };
    session.on_attach = (frame) => {
      const { name, handle, role } = frame.performative;
      // role true: the peer is the receiver, so this end's link is the sender
      const link = session.links[linkKey(name, role)] ?? (role ? session.create_sender(name) : session.create_receiver(name));
      session.remote.handles[handle] = link;
      link.on_attach(frame);
      link.remote.attach = frame.performative;
    };
    return session;
  };
}

/** Splits `list` into runs of deliveries with one outcome and one settled flag. */
function runsOfOneOutcome(list: readonly PendingDisposition[]): PendingDisposition[][] {
  const runs: PendingDisposition[][] = [];
  for (const d of list) {
    const run = runs[runs.length - 1];
    const head = run?.[0];
    if (head && head.settled === d.settled && messageBuilders.are_outcomes_equivalent(head.state, d.state)) run.push(d);
    else runs.push([d]);
  }
  return runs;
}

/**
 * Makes every session of `connection` write each outcome in dispositions of its own
 * (install it before the connection opens).
 *
 * rhea 3 gathers the dispositions of one tick into ranges, and a range that starts with
 * one delivery takes in the next one without comparing their outcomes: `released` for
 * delivery 1 and `rejected` for delivery 2 go out as `released` for both. This hands
 * rhea's writer (`process` of the session's incoming and outgoing queues) one run of
 * equal outcomes at a time.
 */
export function writeOutcomesApart(connection: Connection): void {
  const conn = connection as InternalConnection;
  const createSession = conn.create_session.bind(conn);
  conn.create_session = (size?: unknown) => {
    const session = createSession(size);
    const split = (queue: DispositionQueue, field: 'updated' | 'pending_dispositions') => {
      const process = queue.process.bind(queue);
      queue.process = (s) => {
        const runs = runsOfOneOutcome(queue[field]);
        if (runs.length <= 1) return process(s);
        for (const run of runs) {
          queue[field] = run;
          process(s);
        }
      };
    };
    split(session.incoming, 'updated');
    split(session.outgoing, 'pending_dispositions');
    return session;
  };
}

/**
 * Creates a rhea connection for an accepted socket, installs `hooks`, and starts
 * the AMQP (and SASL, with `saslMechanisms` when given) exchange on it. rhea's own `container.listen` offers no way
 * to see the raw bytes, which the intermediary needs to forward messages unchanged
 * and to refuse oversize frames. Its sessions key links by name and role
 * ({@link keyLinksByNameAndRole}) and write each outcome apart ({@link writeOutcomesApart}).
 */
export function acceptConnection(
  container: Container,
  socket: Socket,
  options: Readonly<Record<string, unknown>>,
  hooks: ConnectionHooks,
  saslMechanisms?: object,
): Connection {
  const conn = container.create_connection(options as unknown as ConnectionOptions) as InternalConnection;
  const input = conn.input.bind(conn);
  conn.input = (chunk: Buffer) => hooks.input(chunk, input);
  const processFrames = conn._process.bind(conn);
  conn._process = () => {
    try {
      processFrames();
    } catch (e) {
      hooks.processError(e);
    }
  };
  interceptTransfers(conn, hooks.transfer);
  keyLinksByNameAndRole(conn);
  writeOutcomesApart(conn);
  // rhea takes the server's SASL mechanisms from the container, when the socket is accepted
  // (synchronously): lend it this connection's own for that moment
  const shared = container.sasl_server_mechanisms;
  if (saslMechanisms) (container as { sasl_server_mechanisms: unknown }).sasl_server_mechanisms = saslMechanisms;
  try {
    return conn.accept(socket);
  } finally {
    (container as { sasl_server_mechanisms: unknown }).sasl_server_mechanisms = shared;
  }
}

/** Queues a Close frame with `error` and writes it to the socket now, ahead of anything rhea does next. */
export function closeConnectionNow(conn: Connection, error: AmqpError): void {
  conn.close(error);
  (conn as InternalConnection)._process();
}

/**
 * How many deliveries this sender has handed to rhea that rhea has not written yet
 * (rhea lowers a link's credit only when it writes a transfer, one tick later).
 * `ids` holds the ids of this sender's deliveries in sending order; written ones are removed.
 */
export function dropWrittenDeliveryIds(sender: Sender, ids: number[]): number {
  const next = (sender.session as InternalSession).outgoing.next_pending_delivery;
  let written = 0;
  while (written < ids.length && ids[written] < next) written++;
  if (written > 0) ids.splice(0, written);
  return ids.length;
}

/** A link's credit as rhea tracks it (for a sender, lowered only when a transfer is written). */
export function linkCredit(link: Sender | Receiver): number {
  return (link as unknown as InternalLink).credit;
}

/** Sets a link's own settle modes, as sent in the attach frame that answers the peer's. */
export function setSettleModes(link: Sender | Receiver, snd: number | undefined, rcv: number | undefined): void {
  const attach = (link as unknown as InternalLink).local.attach;
  if (snd !== undefined && snd !== null) attach.snd_settle_mode = snd;
  if (rcv !== undefined && rcv !== null) attach.rcv_settle_mode = rcv;
}

/** Sets the max-message-size this end of a link advertises in its attach frame. */
export function setMaxMessageSize(link: Receiver, bytes: number): void {
  (link as unknown as InternalLink).local.attach.max_message_size = bytes;
}

/** Marks a delivery just handed to rhea as pre-settled, before its transfer is written. */
export function markPresettled(delivery: Delivery): void {
  (delivery as unknown as InternalDelivery).settled = true;
}

/**
 * Forgets an unsettled outgoing delivery whose link has gone, so that it no longer
 * holds back the session's outgoing buffer (rhea frees it only once both ends settled).
 */
export function forgetDelivery(delivery: Delivery): void {
  const d = delivery as unknown as InternalDelivery;
  d.settled = true;
  d.remote_settled = true;
}

/** rhea's builders for message sections and delivery outcomes. */
export const messageBuilders = message as unknown as MessageBuilders;

/** rhea's AMQP type reader and writer. */
export const codec = types as unknown as CodecTypes;

/** Decodes an encoded message with rhea. */
export function decodeMessage(bytes: Buffer): Message {
  return message.decode(bytes) as unknown as Message;
}

/** Encodes a message with rhea. */
export function encodeMessage(msg: Message): Buffer {
  return message.encode(msg as Parameters<typeof message.encode>[0]);
}
