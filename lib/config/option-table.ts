/**
 * The one table of AMQP options: for each option, its oslo name and group,
 * oslo's unit and minimum, its default, whether it is secret, the io-ts codec
 * of its TypeScript value, and how oslo's text form (a URL query value) reads.
 *
 * The options codec, the defaults and the URL query mapping are all derived
 * from this table; nothing about an option is written twice.
 * @module
 */
import * as t from 'io-ts';
import type { AmqpOptions } from './amqp-options';
import { integerAtLeast, oneOf, settingsObject, stringWhere } from './option-codecs';
import { SUPPORTED_SASL_MECHANISMS, parseSaslMechanisms } from './sasl-mechanisms';

/**
 * Where an option comes from: oslo's `[oslo_messaging_amqp]` group, oslo's
 * `[DEFAULT]` group, or an oslo-rx addition (which a Python peer would not know).
 */
export type OptionGroup = 'oslo_messaging_amqp' | 'DEFAULT' | 'oslo-rx';

/** One row of {@link OPTION_TABLE}: everything about one option. */
export interface OptionSpec<A, Optional extends boolean = boolean> {
  /** oslo's name of the option, also its name in a URL query. */
  readonly oslo: string;
  /** The configuration group oslo keeps it in. */
  readonly group: OptionGroup;
  /** oslo's unit: `'s'` for seconds (the TypeScript value is then in milliseconds), `'none'` otherwise. */
  readonly unit: 's' | 'none';
  /** The smallest value, in oslo's unit, for numeric options. */
  readonly min?: number;
  /** The default (in milliseconds for durations); `undefined` for optional options. */
  readonly default: Optional extends true ? undefined : A;
  /** True when the option may be left unset (`undefined`). */
  readonly optional: Optional;
  /** True for a password: its value is never shown (it is written `****`). */
  readonly secret: boolean;
  /** The io-ts codec of the TypeScript value. */
  readonly codec: t.Type<A, A, unknown>;
  /** Reads oslo's text form (a URL query value, in oslo's unit) as a value to check with `codec`. */
  readonly fromText: (text: string) => unknown;
  /** What oslo's text form must look like, for error messages. */
  readonly expected: string;
}

/** Optional settings shared by the row constructors. */
interface RowOptions {
  readonly group?: OptionGroup;
  readonly secret?: boolean;
}

/** oslo's words for true and false (`oslo_config.types.Boolean`), matched case-insensitively. */
const TRUE_WORDS = ['true', '1', 'on', 'yes'];
const FALSE_WORDS = ['false', '0', 'off', 'no'];

/** Reads an integer the way oslo does (surrounding spaces ignored), or `undefined`. */
function integerFromText(text: string): number | undefined {
  const trimmed = text.trim();
  return /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}

/** The fields every row shares. */
function row(oslo: string, more: RowOptions) {
  return { oslo, group: more.group ?? 'oslo_messaging_amqp', secret: more.secret ?? false } as const;
}

/** A duration: seconds in oslo (and in URLs), milliseconds in TypeScript. */
function seconds(oslo: string, defaultSeconds: number, min: number, more: RowOptions = {}): OptionSpec<number, false> {
  return {
    ...row(oslo, more),
    unit: 's',
    min,
    default: defaultSeconds * 1000,
    optional: false,
    codec: integerAtLeast(min * 1000, `an integer >= ${min * 1000} (milliseconds)`),
    fromText: (text) => {
      const n = integerFromText(text);
      return n === undefined ? text : n * 1000;
    },
    expected: `an integer >= ${min} (seconds)`,
  };
}

/** A count, a multiplier or a size: the same number in oslo and TypeScript. */
function integer(oslo: string, defaultValue: number, min: number, more: RowOptions = {}): OptionSpec<number, false> {
  return {
    ...row(oslo, more),
    unit: 'none',
    min,
    default: defaultValue,
    optional: false,
    codec: integerAtLeast(min),
    fromText: (text) => integerFromText(text) ?? text,
    expected: `an integer >= ${min}`,
  };
}

/** A boolean; oslo's text form is one of true/1/on/yes or false/0/off/no, in any case. */
function boolean(oslo: string, defaultValue: boolean, more: RowOptions = {}): OptionSpec<boolean, false> {
  return {
    ...row(oslo, more),
    unit: 'none',
    default: defaultValue,
    optional: false,
    codec: t.boolean,
    fromText: (text) => {
      const word = text.toLowerCase();
      return TRUE_WORDS.includes(word) ? true : FALSE_WORDS.includes(word) ? false : text;
    },
    expected: `one of ${[...TRUE_WORDS, ...FALSE_WORDS].join(', ')}`,
  };
}

/** A string with a default. */
function text(oslo: string, defaultValue: string, more: RowOptions = {}): OptionSpec<string, false> {
  return { ...row(oslo, more), unit: 'none', default: defaultValue, optional: false, codec: t.string, fromText: (s) => s, expected: 'a string' };
}

/** A string that may be left unset (oslo's default `None`). */
function optionalText(oslo: string, more: RowOptions = {}): OptionSpec<string, true> {
  return { ...row(oslo, more), unit: 'none', default: undefined, optional: true, codec: t.string, fromText: (s) => s, expected: 'a string' };
}

/** One of a fixed set of strings. */
function choice<V extends string>(oslo: string, values: readonly [V, ...V[]], defaultValue: V, more: RowOptions = {}): OptionSpec<V, false> {
  const codec = oneOf(values);
  return { ...row(oslo, more), unit: 'none', default: defaultValue, optional: false, codec, fromText: (s) => s, expected: codec.name };
}

/**
 * A list of values from a fixed set (oslo's `MultiStrOpt`). Its text form is
 * comma-separated, which is also what a repeated URL query name gives.
 */
function listOf<V extends string>(
  oslo: string,
  values: readonly [V, ...V[]],
  defaultValue: readonly V[],
  more: RowOptions = {},
): OptionSpec<readonly V[], false> {
  const among = values.map((v) => `'${v}'`).join(', ');
  return {
    ...row(oslo, more),
    unit: 'none',
    default: Object.freeze([...defaultValue]),
    optional: false,
    codec: t.readonlyArray(oneOf(values), `an array of values among ${among}`),
    fromText: (s) => [...new Set(s.split(',').map((v) => v.trim().toLowerCase()).filter((v) => v !== ''))],
    expected: `comma-separated values among ${among}`,
  };
}

/** oslo's space-separated SASL mechanism list, limited to the mechanisms oslo-rx supports. */
function saslMechanismList(oslo: string): OptionSpec<string, false> {
  const expected = `space-separated SASL mechanisms among ${SUPPORTED_SASL_MECHANISMS.join(', ')} (oslo-rx has no Cyrus SASL)`;
  const codec = stringWhere(expected, (s) => 'mechanisms' in parseSaslMechanisms(s));
  return { ...row(oslo, {}), unit: 'none', default: '', optional: false, codec, fromText: (s) => s, expected };
}

/**
 * A Cyrus SASL setting oslo-rx cannot honour (rhea has no Cyrus SASL): only the default
 * `''` is accepted, so a configuration that relies on it fails clearly instead of
 * being ignored.
 */
function unsupportedCyrusSetting(oslo: string): OptionSpec<string, false> {
  const expected = "'' (oslo-rx has no Cyrus SASL, so it cannot read a SASL configuration; use sasl_mechanisms and the URL's credentials)";
  return { ...row(oslo, {}), unit: 'none', default: '', optional: false, codec: stringWhere(expected, (s) => s === ''), fromText: (s) => s, expected };
}

/** Node TLS settings, given in code only (they have no text form in a URL). Secret: they may hold a key. */
function tlsSettings<A extends object>(oslo: string): OptionSpec<A, true> {
  const expected = "an object of Node TLS settings (tls.connect options such as minVersion or ciphers), given in code, not in the URL";
  return {
    ...row(oslo, { group: 'oslo-rx', secret: true }),
    unit: 'none',
    default: undefined,
    optional: true,
    codec: settingsObject<A>(expected),
    fromText: (s) => s,
    expected,
  };
}

/**
 * The type of {@link OPTION_TABLE}: one row per field of {@link AmqpOptions},
 * whose codec checks that field's type (so the table and the interface cannot
 * drift apart), optional exactly where the field is.
 */
export type OptionTable = {
  readonly [K in keyof AmqpOptions]-?: OptionSpec<Exclude<AmqpOptions[K], undefined>, undefined extends AmqpOptions[K] ? true : false>;
};

/**
 * Every AMQP option oslo-rx knows, keyed by its TypeScript name: oslo's
 * `[oslo_messaging_amqp]` options (opts.py), two `[DEFAULT]` ones
 * (`control_exchange`, `rpc_response_timeout`) and three oslo-rx additions
 * (`max_message_size`, `reply_address_fallback`, `tls`). Defaults and minimums are
 * oslo 14.0.3's; where oslo sets no minimum, a negative value makes no sense
 * and the minimum here is 0.
 *
 * A URL query takes the `oslo` names and units (`?idle_timeout=30` is
 * `idleTimeoutMs: 30000`).
 */
export const OPTION_TABLE: OptionTable = {
  containerName: optionalText('container_name'),
  idleTimeoutMs: seconds('idle_timeout', 0, 0),
  trace: boolean('trace', false),
  ssl: boolean('ssl', false),
  sslCaFile: text('ssl_ca_file', ''),
  sslCertFile: text('ssl_cert_file', ''),
  sslKeyFile: text('ssl_key_file', ''),
  sslKeyPassword: optionalText('ssl_key_password', { secret: true }),
  sslVerifyVhost: boolean('ssl_verify_vhost', false),
  saslMechanisms: saslMechanismList('sasl_mechanisms'),
  saslConfigDir: unsupportedCyrusSetting('sasl_config_dir'),
  saslConfigName: unsupportedCyrusSetting('sasl_config_name'),
  saslDefaultRealm: text('sasl_default_realm', ''),
  connectionRetryIntervalMs: seconds('connection_retry_interval', 1, 1),
  connectionRetryBackoff: integer('connection_retry_backoff', 2, 0),
  connectionRetryIntervalMaxMs: seconds('connection_retry_interval_max', 30, 1),
  linkRetryDelayMs: seconds('link_retry_delay', 10, 1),
  defaultReplyRetry: integer('default_reply_retry', 0, -1),
  defaultReplyTimeoutMs: seconds('default_reply_timeout', 30, 5),
  defaultSendTimeoutMs: seconds('default_send_timeout', 30, 5),
  defaultNotifyTimeoutMs: seconds('default_notify_timeout', 30, 5),
  defaultSenderLinkTimeoutMs: seconds('default_sender_link_timeout', 600, 1),
  addressingMode: choice('addressing_mode', ['legacy', 'routable', 'dynamic'], 'dynamic'),
  pseudoVhost: boolean('pseudo_vhost', true),
  serverRequestPrefix: text('server_request_prefix', 'exclusive'),
  broadcastPrefix: text('broadcast_prefix', 'broadcast'),
  groupRequestPrefix: text('group_request_prefix', 'unicast'),
  rpcAddressPrefix: text('rpc_address_prefix', 'openstack.org/om/rpc'),
  notifyAddressPrefix: text('notify_address_prefix', 'openstack.org/om/notify'),
  multicastAddress: text('multicast_address', 'multicast'),
  unicastAddress: text('unicast_address', 'unicast'),
  anycastAddress: text('anycast_address', 'anycast'),
  defaultNotificationExchange: optionalText('default_notification_exchange'),
  defaultRpcExchange: optionalText('default_rpc_exchange'),
  replyLinkCredit: integer('reply_link_credit', 200, 1),
  rpcServerCredit: integer('rpc_server_credit', 100, 1),
  notifyServerCredit: integer('notify_server_credit', 100, 1),
  preSettled: listOf('pre_settled', ['rpc-call', 'rpc-reply', 'rpc-cast', 'notify'], ['rpc-cast', 'rpc-reply']),
  controlExchange: text('control_exchange', 'openstack', { group: 'DEFAULT' }),
  rpcResponseTimeoutMs: seconds('rpc_response_timeout', 60, 0, { group: 'DEFAULT' }),
  maxMessageSize: integer('max_message_size', 0, 0, { group: 'oslo-rx' }),
  replyAddressFallback: choice('reply_address_fallback', ['auto', 'never'], 'auto', { group: 'oslo-rx' }),
  durableNotificationQueues: boolean('durable_notification_queues', false, { group: 'oslo-rx' }),
  tls: tlsSettings('tls'),
  metricsIntervalMs: seconds('metrics_interval', 5, 0, { group: 'oslo-rx' }),
  pythonExactJson: boolean('python_exact_json', false, { group: 'oslo-rx' }),
};

/** The TypeScript name of an option: a key of {@link OPTION_TABLE}. */
export type OptionName = keyof AmqpOptions;

/** Finds an option by its oslo name (as used in URL queries). */
const BY_OSLO_NAME: ReadonlyMap<string, OptionName> = new Map(
  (Object.keys(OPTION_TABLE) as OptionName[]).map((name) => [OPTION_TABLE[name].oslo, name]),
);

/**
 * The TypeScript name of the option oslo calls `osloName`.
 *
 * @param osloName an oslo option name, e.g. `idle_timeout`
 * @returns e.g. `idleTimeoutMs`, or `undefined` when there is no such option
 */
export function optionNamed(osloName: string): OptionName | undefined {
  return BY_OSLO_NAME.get(osloName);
}

/**
 * True when `name` (a TypeScript name, a path starting with one such as
 * `preSettled.0`, or an oslo name) is a secret option whose value must never be shown.
 *
 * @param name the option's TypeScript name, a path inside it, or its oslo name
 */
export function isSecretOption(name: string): boolean {
  const key = optionNamed(name) ?? name.split('.')[0];
  return Object.prototype.hasOwnProperty.call(OPTION_TABLE, key) && OPTION_TABLE[key as OptionName].secret;
}
