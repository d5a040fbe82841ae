/**
 * The command-line options the subcommands share, and the parsers of their values.
 * @module
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { type TargetFields, type Transport, createTransport } from '../index';
import { configOptions } from './config-option';
import { UsageError } from './usage-error';

/** The URL used when neither `--url` nor `$OSLO_RX_URL` gives one. */
export const DEFAULT_URL = 'amqp://127.0.0.1:5672';

/** The options every client command has: `--url` and `--config`. */
export interface ClientOptions {
  /** `--url URL`. */
  readonly url?: string;
  /** `--config KEY=VALUE`, each as given. */
  readonly config?: readonly string[];
}

/** The RPC target options: `--topic`, `--exchange`, `--namespace`, `--version`. */
export interface TargetOptions {
  /** `--topic T`. */
  readonly topic?: string;
  /** `--exchange E`. */
  readonly exchange?: string;
  /** `--namespace N`. */
  readonly namespace?: string;
  /** `--version V`. */
  readonly version?: string;
}

/** Appends each occurrence of a repeatable option. */
export function repeated(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}

/** Adds `--url` and `--config` to a command that connects to an intermediary. */
export function withClientOptions(command: Command): Command {
  return command
    .option('--url <URL>', `transport URL (default: $OSLO_RX_URL or ${DEFAULT_URL})`)
    .option(
      '--config <KEY=VALUE>',
      'an AMQP option by its oslo name, with or without amqp_ (idle_timeout=30, amqp_addressing_mode routable); repeatable',
      repeated,
    );
}

/** Adds the target options (`--topic` required or not; `--server` is each command's own). */
export function withTargetOptions(command: Command, what: { version: string }): Command {
  return command
    .option('--topic <T>', 'the topic (required)')
    .option('--exchange <E>', 'the exchange (default: openstack)')
    .option('--namespace <N>', 'the endpoint namespace (default: none)')
    .option('--version <V>', `${what.version}, major.minor (default: 1.0)`);
}

/** `--timeout SECONDS`, in milliseconds. */
export function timeoutOption(what: string): Option {
  return new Option('--timeout <SECONDS>', what).argParser(timeoutMs);
}

/** The transport the client options name: `--url` (else `$OSLO_RX_URL`, else {@link DEFAULT_URL}) with `--config`. */
export function transportOf(options: ClientOptions): { transport: Transport; url: string } {
  const url = transportUrl(options.url);
  return { transport: createTransport(url, configOptions(options.config ?? [])), url };
}

/** The transport URL: `--url`, else `$OSLO_RX_URL`, else {@link DEFAULT_URL}. */
export function transportUrl(url: string | undefined): string {
  return url ?? process.env.OSLO_RX_URL ?? DEFAULT_URL;
}

/** The value of a required option; throws {@link UsageError} when it is missing or empty. */
export function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new UsageError(`${name} is required`);
  return value;
}

/** Parses `--timeout SECONDS` into milliseconds: a positive number of seconds. */
export function timeoutMs(seconds: string): number {
  const n = Number(seconds);
  if (seconds.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of seconds');
  return Math.round(n * 1000);
}

/** A parser of an integer option within `[min, max]`. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

/** Parses a JSON option's value. */
export function json(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new InvalidArgumentError('expected JSON');
  }
}

/** Parses a JSON object option's value. */
export function jsonObject(value: string): Record<string, unknown> {
  const parsed = json(value);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InvalidArgumentError('expected a JSON object');
  return parsed as Record<string, unknown>;
}

/** Parses a regular expression option's value. */
export function regex(value: string): string {
  try {
    new RegExp(value);
  } catch (e) {
    throw new InvalidArgumentError(`expected a regular expression (${(e as Error).message})`);
  }
  return value;
}

/** The RPC target the target options name, with `server`; `--topic` is required, `--version` is `major.minor`. */
export function targetOf(values: TargetOptions, server?: string): TargetFields & { topic: string } {
  const { topic, exchange, namespace, version } = values;
  if (version !== undefined && !/^\d+\.\d+$/.test(version)) throw new UsageError(`--version expects major.minor (e.g. 1.2), got "${version}"`);
  return { topic: required(topic, '--topic'), server, exchange, namespace, version };
}

/** The help text of a command's examples: each command line with what it does. */
export function examples(lines: readonly (readonly [command: string, what: string])[]): string {
  return `\nExamples:\n${lines.map(([command, what]) => `  $ ${command}\n      ${what}\n`).join('')}`;
}
