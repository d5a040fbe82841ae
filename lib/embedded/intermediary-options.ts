/**
 * Options of the embedded intermediary, their defaults in one table, and their checks.
 * @module
 */
import debug from 'debug';
import { MessagingError } from '../errors';
import { DEFAULT_QUEUE_PATTERNS, DEFAULT_TOPIC_PATTERNS } from './address-patterns';
import { INTERMEDIARY_SASL_MECHANISMS, type IntermediarySaslMechanism } from './sasl';

/** Where the intermediary writes its log lines (connection and link ids first; never a password). */
export type IntermediaryLogger = (line: string) => void;

/** The personality the intermediary presents. */
export type IntermediaryMode = 'broker' | 'router';

/** TLS settings of the embedded intermediary's listener (PEM text or buffers, not file names). */
export interface IntermediaryTlsOptions {
  /** The server certificate (chain), PEM. */
  readonly cert: string | Buffer;
  /** Its private key, PEM. */
  readonly key: string | Buffer;
  /** The password of an encrypted `key`. */
  readonly passphrase?: string;
  /**
   * CA certificates (PEM) that client certificates must be signed by. When given,
   * clients are asked for a certificate, and SASL EXTERNAL is offered.
   */
  readonly ca?: string | Buffer;
  /** With `ca`: refuse clients without a valid certificate at the TLS handshake (mutual TLS). Default true. */
  readonly requireClientCert?: boolean;
}

/** Options of {@link startEmbeddedIntermediary}. */
export interface EmbeddedIntermediaryOptions {
  /** Address to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /** Port to listen on; 0 picks a free one. Default 0. */
  readonly port?: number;
  /**
   * `broker`: store and forward, like qpidd (no `product` in its Open properties, so
   * oslo's dynamic addressing picks legacy). `router`: direct, end-to-end acknowledged,
   * like qpid-dispatch-router (`product: 'qpid-dispatch-router'`, so oslo picks routable).
   * Default `broker`.
   */
  readonly mode?: IntermediaryMode;
  /**
   * User names and passwords. When given, SASL PLAIN with one of them is required and
   * ANONYMOUS is refused; when absent, clients may skip SASL or use ANONYMOUS or PLAIN
   * with any credentials.
   */
  readonly users?: Readonly<Record<string, string>>;
  /** Listen with TLS (`amqps://`): certificate, key, and optionally the CA of client certificates. Default: no TLS. */
  readonly tls?: IntermediaryTlsOptions;
  /**
   * The SASL mechanisms offered, among ANONYMOUS, PLAIN and EXTERNAL. PLAIN checks
   * `users` (any credentials without them); EXTERNAL succeeds only with a verified
   * client certificate; with ANONYMOUS offered clients may also skip SASL. Default:
   * PLAIN (with `users`) or PLAIN and ANONYMOUS (without), plus EXTERNAL when `tls.ca` is given.
   */
  readonly saslMechanisms?: readonly IntermediarySaslMechanism[];
  /** Addresses that are topics (router: multicast). Default `DEFAULT_TOPIC_PATTERNS`. See `compileAddressPattern`. */
  readonly topicPatterns?: readonly string[];
  /** Addresses that are queues (router: anycast) even if a topic pattern matches. Default `DEFAULT_QUEUE_PATTERNS`. */
  readonly queuePatterns?: readonly string[];
  /** Addresses no link may attach to (refused with `amqp:unauthorized-access`). Default none. */
  readonly refusePatterns?: readonly string[];
  /** Largest frame accepted, in bytes (at least 512); advertised in Open. Default 1 MiB. */
  readonly maxFrameSize?: number;
  /** Largest message accepted, in bytes; larger ones are rejected with `amqp:link:message-size-exceeded`. 0 means no limit. Default 16 MiB. */
  readonly maxMessageSize?: number;
  /** Credit granted to each sending client link, refilled when half of it is used. Default 100. */
  readonly creditWindow?: number;
  /**
   * Broker: a queue holding this many messages stops refilling the credit of links
   * that send to it until it drains below the bound; a topic subscriber's queue drops
   * its oldest message instead. Default 10000.
   */
  readonly maxQueueDepth?: number;
  /** Router: how long a message waits for a consumer with credit before it is released (or dropped if pre-settled). Default 2000 ms. */
  readonly holdMs?: number;
  /**
   * Broker: also raise the header delivery-count when a consumer answers `released`.
   * AMQP says a released message is unchanged, so the default is false (only `modified`
   * with delivery-failed, and deliveries lost with their link, count).
   */
  readonly releasedIncrementsDeliveryCount?: boolean;
  /** Log sink. Default: the `debug` package under `oslo-rx:embedded` (silent unless enabled). */
  readonly logger?: IntermediaryLogger;
}

/** Every default of {@link EmbeddedIntermediaryOptions}, in one place. */
export const EMBEDDED_INTERMEDIARY_DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  mode: 'broker' as IntermediaryMode,
  topicPatterns: DEFAULT_TOPIC_PATTERNS,
  queuePatterns: DEFAULT_QUEUE_PATTERNS,
  refusePatterns: [] as readonly string[],
  maxFrameSize: 1024 * 1024,
  maxMessageSize: 16 * 1024 * 1024,
  creditWindow: 100,
  maxQueueDepth: 10_000,
  holdMs: 2000,
  releasedIncrementsDeliveryCount: false,
} as const;

/** The options with every default filled in. */
export type ResolvedIntermediaryOptions = Required<Omit<EmbeddedIntermediaryOptions, 'users' | 'tls'>> & {
  /** As given; undefined means no authentication. */
  readonly users: Readonly<Record<string, string>> | undefined;
  /** As given; undefined means plain TCP. */
  readonly tls: IntermediaryTlsOptions | undefined;
};

/** An option of the embedded intermediary has a value it cannot use. */
export class InvalidIntermediaryOption extends MessagingError {
  /**
   * @param option the option's name
   * @param reason what is wrong with its value
   */
  constructor(
    readonly option: string,
    reason: string,
  ) {
    super('InvalidOption', `embedded intermediary option ${option}: ${reason}`);
  }
}

const defaultLogger: IntermediaryLogger = (() => {
  const log = debug('oslo-rx:embedded');
  return (line: string) => log(line);
})();

function integer(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidIntermediaryOption(name, `expected an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function defaultMechanisms(options: EmbeddedIntermediaryOptions): readonly IntermediarySaslMechanism[] {
  const base: IntermediarySaslMechanism[] = options.users === undefined ? ['PLAIN', 'ANONYMOUS'] : ['PLAIN'];
  return options.tls?.ca ? ['EXTERNAL', ...base] : base;
}

/** Fills in the defaults and checks every value; throws {@link InvalidIntermediaryOption}. */
export function resolveIntermediaryOptions(options: EmbeddedIntermediaryOptions = {}): ResolvedIntermediaryOptions {
  const d = EMBEDDED_INTERMEDIARY_DEFAULTS;
  const mode = options.mode ?? d.mode;
  if (mode !== 'broker' && mode !== 'router') throw new InvalidIntermediaryOption('mode', `expected "broker" or "router", got ${String(mode)}`);
  if (options.users !== undefined && Object.keys(options.users).length === 0) {
    throw new InvalidIntermediaryOption('users', 'give at least one user, or leave it out to allow anonymous access');
  }
  const tls = options.tls;
  if (tls !== undefined && (!tls.cert || !tls.key)) throw new InvalidIntermediaryOption('tls', 'give both cert and key (PEM)');
  const saslMechanisms = options.saslMechanisms ?? defaultMechanisms(options);
  const unknown = saslMechanisms.find((m) => !INTERMEDIARY_SASL_MECHANISMS.includes(m));
  if (unknown !== undefined) throw new InvalidIntermediaryOption('saslMechanisms', `${String(unknown)} is not one of ${INTERMEDIARY_SASL_MECHANISMS.join(', ')}`);
  if (saslMechanisms.length === 0) throw new InvalidIntermediaryOption('saslMechanisms', 'offer at least one mechanism');
  if (saslMechanisms.includes('EXTERNAL') && !tls?.ca) throw new InvalidIntermediaryOption('saslMechanisms', 'EXTERNAL needs tls.ca (the CA of client certificates)');
  return {
    host: options.host ?? d.host,
    tls,
    saslMechanisms,
    port: integer('port', options.port ?? d.port, 0, 65535),
    mode,
    users: options.users,
    topicPatterns: options.topicPatterns ?? d.topicPatterns,
    queuePatterns: options.queuePatterns ?? d.queuePatterns,
    refusePatterns: options.refusePatterns ?? d.refusePatterns,
    maxFrameSize: integer('maxFrameSize', options.maxFrameSize ?? d.maxFrameSize, 512, 0xffffffff),
    maxMessageSize: integer('maxMessageSize', options.maxMessageSize ?? d.maxMessageSize, 0),
    creditWindow: integer('creditWindow', options.creditWindow ?? d.creditWindow, 1, 100_000),
    maxQueueDepth: integer('maxQueueDepth', options.maxQueueDepth ?? d.maxQueueDepth, 1),
    holdMs: integer('holdMs', options.holdMs ?? d.holdMs, 0),
    releasedIncrementsDeliveryCount: options.releasedIncrementsDeliveryCount ?? d.releasedIncrementsDeliveryCount,
    logger: options.logger ?? defaultLogger,
  };
}
