/**
 * Which addresses are topics (a copy to every consumer) and which are queues
 * (each message to one consumer), in the style of qpidd's `--topic-patterns` and
 * `--queue-patterns`.
 * @module
 */

/** How the intermediary distributes the messages of an address. */
export type AddressKind = 'queue' | 'topic';

/**
 * Topic patterns used when none are given: oslo's legacy multicast prefix
 * (`broadcast.openstack.t.all`), routable multicast (`openstack.org/om/rpc/multicast/...`),
 * and the ActiveMQ and RabbitMQ forms a user may configure as `broadcast_prefix`.
 */
export const DEFAULT_TOPIC_PATTERNS: readonly string[] = ['broadcast', '*/multicast/', 'topic://', '/topic/', '/exchange/'];

/** Queue patterns used when none are given: oslo's legacy server and anycast prefixes. */
export const DEFAULT_QUEUE_PATTERNS: readonly string[] = ['exclusive', 'unicast'];

/** The three pattern lists of an {@link AddressPatterns}. */
export interface AddressPatternLists {
  /** Addresses that are topics. */
  readonly topicPatterns?: readonly string[];
  /** Addresses that are queues even when a topic pattern matches too. */
  readonly queuePatterns?: readonly string[];
  /** Addresses no link may attach to. */
  readonly refusePatterns?: readonly string[];
}

/**
 * Compiles one pattern. A pattern matches every address that starts with it; a `*`
 * inside it matches any run of characters (so `*\/multicast/` matches any address
 * containing `/multicast/`).
 */
export function compileAddressPattern(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}`, 's');
}

/**
 * Classifies addresses with topic, queue and refuse patterns. Queue patterns win
 * over topic patterns; an address matching neither is a queue.
 */
export class AddressPatterns {
  private readonly topics: readonly RegExp[];
  private readonly queues: readonly RegExp[];
  private readonly refused: readonly RegExp[];

  /** @param lists the patterns; omitted lists take the defaults (no refused addresses by default) */
  constructor(lists: AddressPatternLists = {}) {
    this.topics = (lists.topicPatterns ?? DEFAULT_TOPIC_PATTERNS).map(compileAddressPattern);
    this.queues = (lists.queuePatterns ?? DEFAULT_QUEUE_PATTERNS).map(compileAddressPattern);
    this.refused = (lists.refusePatterns ?? []).map(compileAddressPattern);
  }

  /** Whether `address` is a queue or a topic. */
  kindOf(address: string): AddressKind {
    if (this.queues.some((p) => p.test(address))) return 'queue';
    return this.topics.some((p) => p.test(address)) ? 'topic' : 'queue';
  }

  /** True when no link may attach to `address`. */
  isRefused(address: string): boolean {
    return this.refused.some((p) => p.test(address));
  }
}
