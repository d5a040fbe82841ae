/**
 * Options of a messenger, their defaults in one table, and their checks.
 * @module
 */
import { type AmqpOptions, InvalidOption, resolveAmqpOptions } from '../config';

/** Options of {@link createMessenger}. */
export interface MessengerOptions {
  /** AMQP options for every connection the messenger opens (see `AmqpOptions`; durations in ms). */
  readonly amqp?: Partial<AmqpOptions>;
  /**
   * Overrides of `amqp` for one peer, keyed `host:port` (IPv6 in brackets, `[::1]:5672`),
   * e.g. `{ 'broker-1:5672': { idleTimeoutMs: 60_000 } }`.
   */
  readonly hosts?: Readonly<Record<string, Partial<AmqpOptions>>>;
  /**
   * Most sends of this messenger whose outcome has not come back yet (Proton's
   * `outgoing_window`). Further sends wait in a queue, in order, until one settles.
   * Default {@link MESSENGER_DEFAULTS}.outgoingWindow.
   */
  readonly outgoingWindow?: number;
  /**
   * Credit of a subscription that gives none (Proton's `incoming_window`): how many
   * deliveries a link may hold unsettled. Default {@link MESSENGER_DEFAULTS}.incomingWindow.
   */
  readonly incomingWindow?: number;
  /** How long a stopping listener waits for a peer to answer its Close, in ms. Default {@link MESSENGER_DEFAULTS}.listenerCloseGraceMs. */
  readonly listenerCloseGraceMs?: number;
}

/** Every default of {@link MessengerOptions}, in one place. */
export const MESSENGER_DEFAULTS = {
  outgoingWindow: 1024,
  incomingWindow: 100,
  listenerCloseGraceMs: 500,
} as const;

/** The options with every default filled in and checked. */
export interface ResolvedMessengerOptions {
  /** As given (checked). */
  readonly amqp: Partial<AmqpOptions>;
  /** As given (checked). */
  readonly hosts: Readonly<Record<string, Partial<AmqpOptions>>>;
  /** See {@link MessengerOptions.outgoingWindow}. */
  readonly outgoingWindow: number;
  /** See {@link MessengerOptions.incomingWindow}. */
  readonly incomingWindow: number;
  /** See {@link MessengerOptions.listenerCloseGraceMs}. */
  readonly listenerCloseGraceMs: number;
}

/** Checks that `value` (option `name`) is an integer from `min` to `max`; returns it. */
export function checkedInteger(name: string, value: number, min: number, max = 100_000): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new InvalidOption(name, value, `expected an integer from ${min} to ${max}`);
  return value;
}

/**
 * Fills in the defaults and checks every value, the AMQP options of every host included,
 * so a bad option fails here rather than at the first send.
 * @throws InvalidOption for a bad value
 */
export function resolveMessengerOptions(options: MessengerOptions = {}): ResolvedMessengerOptions {
  const d = MESSENGER_DEFAULTS;
  const amqp = options.amqp ?? {};
  const hosts = options.hosts ?? {};
  resolveAmqpOptions(amqp);
  for (const override of Object.values(hosts)) resolveAmqpOptions({ ...amqp, ...override });
  return {
    amqp,
    hosts,
    outgoingWindow: checkedInteger('outgoingWindow', options.outgoingWindow ?? d.outgoingWindow, 1, 1_000_000),
    incomingWindow: checkedInteger('incomingWindow', options.incomingWindow ?? d.incomingWindow, 1),
    listenerCloseGraceMs: checkedInteger('listenerCloseGraceMs', options.listenerCloseGraceMs ?? d.listenerCloseGraceMs, 0, 60_000),
  };
}
