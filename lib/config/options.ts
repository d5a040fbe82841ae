/**
 * The AMQP options: one io-ts codec and the defaults, both derived from
 * `OPTION_TABLE`, and {@link resolveAmqpOptions}, which validates options
 * given in code and applies those given in the URL query.
 * @module
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import type { AmqpOptions } from './amqp-options';
import { InvalidOption } from './errors';
import { firstDecodeFailure } from './first-decode-failure';
import { REDACTED } from './redact';
import { showRedacted } from './shown-redacted';
import { OPTION_TABLE, type OptionName, type OptionTable, isSecretOption, optionNamed } from './option-table';

/** Names of the options that may be left unset. */
type OptionalName = { [K in OptionName]-?: undefined extends AmqpOptions[K] ? K : never }[OptionName];
/** Names of the options that always have a value. */
type RequiredName = Exclude<OptionName, OptionalName>;
/** The codecs of some options, by name. */
type Codecs<K extends OptionName> = { [N in K]: OptionTable[N]['codec'] };

const OPTION_NAMES = Object.keys(OPTION_TABLE) as OptionName[];

/** The codecs of the options that are (or are not) optional. */
function codecs<K extends OptionName>(optional: boolean): Codecs<K> {
  return Object.fromEntries(
    OPTION_NAMES.filter((name) => OPTION_TABLE[name].optional === optional).map((name) => [name, OPTION_TABLE[name].codec]),
  ) as Codecs<K>;
}

/**
 * The io-ts codec of fully resolved {@link AmqpOptions}, built from
 * {@link OPTION_TABLE}: each option's type and minimum. Decoding never throws.
 */
export const AmqpOptionsCodec: t.Type<AmqpOptions, AmqpOptions, unknown> = t.intersection(
  [t.type(codecs<RequiredName>(false)), t.partial(codecs<OptionalName>(true))],
  'AmqpOptions',
);

/** The defaults of every option (oslo 14.0.3's), frozen; options that may be unset are absent. */
export const DEFAULT_AMQP_OPTIONS: AmqpOptions = Object.freeze(
  Object.fromEntries(OPTION_NAMES.filter((name) => !OPTION_TABLE[name].optional).map((name) => [name, OPTION_TABLE[name].default])),
) as unknown as AmqpOptions;

/**
 * Resolves the AMQP options: the defaults, overridden by `options`,
 * overridden in turn by the URL `query` (as oslo's URL query overrides its
 * configuration file).
 *
 * - `options` uses TypeScript names and units (`{ idleTimeoutMs: 30000 }`); an
 *   `undefined` value counts as not given. An unknown name or a value of the
 *   wrong type or below the minimum is an {@link InvalidOption} naming it.
 * - `query` uses oslo's names and units (`idle_timeout=30`), booleans as
 *   true/false/1/0/yes/no/on/off in any case, `pre_settled` as a
 *   comma-separated list. A bad value is an {@link InvalidOption} naming the
 *   oslo name. An unknown `pre_settled` value is an error too (oslo only warns
 *   and ignores it).
 * - Query names that are no option are ignored (see `unknownQueryOptions`
 *   to warn about them). oslo 14.0.3 refuses them instead (`NoSuchOptError`),
 *   so any URL a Python peer accepts works here too.
 * - Query names also accepted beyond oslo's `[oslo_messaging_amqp]` group:
 *   `control_exchange`, `rpc_response_timeout` (oslo's `[DEFAULT]`),
 *   `max_message_size`, `reply_address_fallback`, `metrics_interval` (oslo-rx's own). A Python
 *   peer would refuse a URL holding them.
 *
 * ## Example
 * ```ts
 * resolveAmqpOptions({ rpcServerCredit: 10 }, { idle_timeout: '30', pre_settled: 'rpc-call,notify' });
 * // { ...DEFAULT_AMQP_OPTIONS, rpcServerCredit: 10, idleTimeoutMs: 30000, preSettled: ['rpc-call', 'notify'] }
 * ```
 *
 * @param options options given in code (anything: it is validated)
 * @param query the transport URL's query
 * @returns the resolved options, frozen
 * @throws InvalidOption for an unknown option or a bad value; a secret's value is shown as `****`
 */
export function resolveAmqpOptions(options?: Partial<AmqpOptions> | unknown, query: Readonly<Record<string, string>> = {}): AmqpOptions {
  const given = optionsGiven(options);
  const decoded = AmqpOptionsCodec.decode({ ...DEFAULT_AMQP_OPTIONS, ...given });
  if (isLeft(decoded)) {
    const failure = firstDecodeFailure(decoded.left);
    const path = failure?.path ?? '';
    throw new InvalidOption(path, failure?.value, `expected ${failure?.expected ?? 'a valid value'}`, isSecretOption(path));
  }
  const resolved = { ...decoded.right, ...optionsFromQuery(query) };
  // A copy, so the caller's array cannot change the options later; shown without its secrets.
  const copy: AmqpOptions = { ...resolved, preSettled: Object.freeze([...resolved.preSettled]) };
  return Object.freeze(showRedacted(copy, () => redactOptions(copy)));
}

/** The options object's defined entries, after checking it is an object of known options. */
function optionsGiven(options: unknown): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOption('options', options, 'expected an object of AMQP options');
  }
  const given: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    if (!Object.prototype.hasOwnProperty.call(OPTION_TABLE, name)) {
      const meant = optionNamed(name);
      // An unknown option's value is hidden: it may be a misspelt password.
      throw new InvalidOption(name, value, meant ? `unknown option; did you mean ${meant}?` : 'unknown option', true);
    }
    if (value !== undefined) given[name] = value;
  }
  return given;
}

/** The options a URL query sets, by TypeScript name, each read from oslo's text form and checked. */
function optionsFromQuery(query: Readonly<Record<string, string>>): Partial<AmqpOptions> {
  return optionsFromText(Object.entries(query).filter(([osloName]) => optionNamed(osloName) !== undefined));
}

/**
 * Options given by oslo's names in oslo's text form and units, as in a URL query or an
 * oslo configuration file (`[['idle_timeout', '30'], ['pre_settled', 'notify']]`), by
 * TypeScript name; a later entry for the same option wins.
 *
 * ## Example
 * ```ts
 * createTransport(url, optionsFromText([['idle_timeout', '30']])); // { idleTimeoutMs: 30000 }
 * ```
 *
 * @param entries oslo name and text value pairs
 * @throws InvalidOption naming the oslo name, for an unknown option (its value hidden) or a bad value
 */
export function optionsFromText(entries: Iterable<readonly [string, string]>): Partial<AmqpOptions> {
  const found: Record<string, unknown> = {};
  for (const [osloName, text] of entries) {
    const name = optionNamed(osloName);
    if (name === undefined) throw new InvalidOption(osloName, text, 'unknown option', true);
    const spec = OPTION_TABLE[name];
    const decoded = (spec.codec as t.Type<unknown, unknown, unknown>).decode(spec.fromText(text));
    if (isLeft(decoded)) throw new InvalidOption(osloName, text, `expected ${spec.expected}`, spec.secret);
    found[name] = decoded.right;
  }
  return found as Partial<AmqpOptions>;
}

/**
 * The names in a URL query that are no option oslo-rx knows (and that
 * {@link resolveAmqpOptions} therefore ignores), so a caller can warn about them.
 *
 * @param query the transport URL's query
 * @returns the unknown names, in query order
 */
export function unknownQueryOptions(query: Readonly<Record<string, string>>): string[] {
  return Object.keys(query).filter((name) => optionNamed(name) === undefined);
}

/**
 * The options with the value of every secret option that is set (`sslKeyPassword`, `tls`)
 * replaced by `****`, safe to show and log. (Resolved options already show themselves
 * this way in `util.inspect` and `JSON.stringify`.)
 *
 * @param options resolved options
 * @returns a plain copy with the secrets hidden
 */
export function redactOptions(options: AmqpOptions): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).map(([name, value]) => [name, value !== undefined && isSecretOption(name) ? REDACTED : value]));
}
