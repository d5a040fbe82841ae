/**
 * The Messenger: Proton's message-oriented API as RxJS streams, on the same core.
 * @module
 */
import { type Observable, Subject, defer, map, takeUntil, throwError } from 'rxjs';
import type { Message } from 'rhea-promise';
import { InvalidTransportURL, TransportUrl } from '../config';
import { type DeliveryOutcome, type IncomingDelivery, TransportClosed, deadline } from '../amqp';
import { Transport } from '../transport';
import { type Listening, listenForPeers } from './listen-for-peers';
import { type RemoteAddress, parseMessengerAddress } from './messenger-address';
import { type MessengerOptions, type ResolvedMessengerOptions, checkedInteger, resolveMessengerOptions } from './messenger-options';
import { OutgoingWindow, type OutgoingWindowState } from './outgoing-window';

/**
 * A message for {@link Messenger.send}: an AMQP message (rhea's `Message`: `body`,
 * `subject`, `application_properties`, `message_id`, …) whose `address`, or else `to`,
 * is a URL `amqp://[user[:pass]@]host[:port]/node`. On the wire `to` holds the node.
 */
export type MessengerMessage = Message & {
  /** Where it goes: `amqp://host:port/node`. Wins over `to`. */
  readonly address?: string;
};

/** Options of one {@link Messenger.send}. */
export interface MessengerSendOptions {
  /** Send pre-settled (fire and forget): the tracker emits `settled` once the message is written. Default false. */
  readonly preSettled?: boolean;
  /**
   * Deadline of the whole send in ms, waiting in the outgoing window and for a connection
   * included; the tracker errors with `MessagingTimeout` when it passes. Default: the host's
   * `defaultSendTimeoutMs` option. `Infinity` sets none.
   */
  readonly timeoutMs?: number;
}

/** Options of {@link Messenger.subscribe}. */
export interface MessengerSubscribeOptions {
  /**
   * The incoming window: deliveries a link may hold unsettled; one unit comes back with
   * each settlement. For a listening subscription, per link of each peer. Default: the
   * messenger's `incomingWindow`.
   */
  readonly credit?: number;
  /** Listening subscriptions (`amqp://~host:port`) only: called once listening, with the bound port. */
  readonly onListening?: (listening: Listening) => void;
}

/**
 * Proton's Messenger model on oslo-rx's core: messages carry their destination as a
 * URL, and connections are made, shared and re-made behind the scenes, one
 * {@link Transport} per peer (scheme, host, port and user), created on first use,
 * reconnecting with the transport's backoff, closed by {@link close}.
 *
 * Create it with {@link createMessenger}.
 *
 * ## Example
 * ```ts
 * const receiver = createMessenger();
 * receiver.subscribe('amqp://~127.0.0.1:5672').subscribe((d) => { console.log(d.message.to, d.message.body); d.accept(); });
 *
 * const sender = createMessenger({ outgoingWindow: 100 });
 * const outcome = await firstValueFrom(sender.send({ address: 'amqp://127.0.0.1:5672/greetings', body: 'hello' }));
 * outcome.outcome; // 'accepted'
 * ```
 */
export class Messenger {
  /** The resolved options. */
  readonly options: ResolvedMessengerOptions;
  private readonly transports = new Map<string, Transport>();
  private readonly window: OutgoingWindow;
  private readonly closing = new Subject<void>();
  private readonly listenersStopping = new Set<Promise<void>>();
  private closed: Promise<void> | undefined;

  /**
   * @param options see {@link MessengerOptions}
   * @throws InvalidOption for a bad option
   */
  constructor(options: MessengerOptions = {}) {
    this.options = resolveMessengerOptions(options);
    this.window = new OutgoingWindow(this.options.outgoingWindow);
  }

  /**
   * Sends `message` to the node its `address` (or `to`) names, and returns its tracker:
   * a cold Observable that sends on subscribe, emits the outcome once (`accepted`,
   * `released`, `modified` or `rejected`; `settled` for a pre-settled send) and completes.
   * At most `outgoingWindow` sends are in flight per messenger; later ones wait their turn.
   * Unsubscribing before the message is written drops it.
   *
   * Errors with `InvalidTransportURL` for a malformed address (nothing connects),
   * `MessagingTimeout` when the deadline passes (an unreachable host, no credit),
   * `MessageDeliveryFailure` for a message too large, `TransportClosed` after {@link close}.
   */
  send(message: MessengerMessage, options: MessengerSendOptions = {}): Observable<DeliveryOutcome> {
    return defer(() => {
      const destination = message.address ?? message.to;
      if (destination === undefined) return throwError(() => new InvalidTransportURL('the message has no address (or to)'));
      const target = remote(destination);
      const transport = this.transportFor(target);
      const { address: _url, ...fields } = message;
      const wire: Message = { ...fields, to: target.node };
      const ms = options.timeoutMs ?? transport.options.defaultSendTimeoutMs;
      const what = `send to ${target.key}/${target.node}`;
      // the transport's own deadline is off: this one bounds the wait for a window slot too
      return this.window
        .run(() => transport.send(target.node, wire, { preSettled: options.preSettled, timeoutMs: Infinity }))
        .pipe(deadline({ ms, what }));
    });
  }

  /**
   * Deliveries from `address`, as `IncomingDelivery` (settle each with `accept()`,
   * `release()`, `modify()` or `reject()`; `message.to` holds the node it was sent to).
   *
   * - `amqp://[user:pass@]host[:port]/node`: a receiver on that node of a broker or router,
   *   re-attached after reconnects.
   * - `amqp://[user:pass@]~host[:port]`: listens there (port 0: any free port, see
   *   `onListening`) and takes messages from any AMQP 1.0 peer, to any node; each peer
   *   sees the outcome the application settles with. With `user:pass@`, peers must
   *   authenticate as that user (SASL PLAIN). Unsubscribing stops listening and closes
   *   the peers' connections; errors with `ListenFailed` when the port cannot be bound.
   *
   * Cold: it attaches (or listens) on subscribe. Errors with `InvalidTransportURL` for a
   * malformed address and `TransportClosed` after {@link close}; completes on close.
   */
  subscribe(address: string, options: MessengerSubscribeOptions = {}): Observable<IncomingDelivery> {
    return defer(() => {
      const credit = checkedInteger('credit', options.credit ?? this.options.incomingWindow, 1);
      const parsed = parseMessengerAddress(address);
      if (this.closed) return throwError(() => new TransportClosed('messenger closed'));
      if (parsed.kind === 'listen') {
        return listenForPeers(parsed, {
          credit,
          closeGraceMs: this.options.listenerCloseGraceMs,
          onListening: options.onListening,
          onStop: (stopped) => {
            const tracked = stopped.finally(() => this.listenersStopping.delete(tracked));
            this.listenersStopping.add(tracked);
          },
        }).pipe(takeUntil(this.closing));
      }
      const { node } = parsed;
      return this.transportFor(parsed)
        .receive({ address: node, credit })
        .pipe(
          map((d) => {
            // like a listening subscription: the node it came from, when the sender named none
            if (d.message.to === undefined) d.message.to = node;
            return d;
          }),
        );
    });
  }

  /** The peers this messenger holds a transport for, as `scheme://[user@]host:port` (no passwords). */
  hosts(): string[] {
    return [...this.transports.keys()];
  }

  /** How many sends hold a slot of the outgoing window, and how many wait for one. */
  get outgoing(): OutgoingWindowState {
    return this.window.state;
  }

  /**
   * Closes the messenger: stops every listening subscription (closing its peers'
   * connections) and closes every transport, which completes the subscriptions and ends
   * sends still waiting with `TransportClosed`. `drainMs` lets held deliveries be
   * settled first (see `Transport.close`). Calling it again returns the same promise.
   */
  close(options: { drainMs?: number } = {}): Promise<void> {
    this.closed ??= (async () => {
      this.closing.next();
      this.closing.complete();
      await Promise.all([...this.transports.values()].map((t) => t.close(options)));
      await Promise.all([...this.listenersStopping]);
    })();
    return this.closed;
  }

  /** The transport for `target`'s peer, created on first use. */
  private transportFor(target: RemoteAddress): Transport {
    if (this.closed) throw new TransportClosed('messenger closed');
    let transport = this.transports.get(target.key);
    if (transport === undefined) {
      const url = new TransportUrl({ scheme: target.scheme, hosts: [target.host] });
      transport = new Transport(url, { ...this.options.amqp, ...this.options.hosts[target.hostPort] });
      this.transports.set(target.key, transport);
    }
    return transport;
  }
}

/** Parses an address that must name a remote node. */
function remote(address: string): RemoteAddress {
  const parsed = parseMessengerAddress(address);
  if (parsed.kind !== 'remote') throw new InvalidTransportURL('a listen address (~host) cannot be sent to', address);
  return parsed;
}

/**
 * Creates a {@link Messenger}. Nothing connects or listens until the first send or
 * subscription needs it.
 *
 * @param options AMQP options for every connection, per-host overrides, the outgoing and incoming windows
 * @throws InvalidOption for a bad option
 */
export function createMessenger(options?: MessengerOptions): Messenger {
  return new Messenger(options);
}
