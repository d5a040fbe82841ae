/**
 * The command-line options the subcommands share, and the checks of their values.
 * @module
 */
import type { TargetFields } from '../index';
import { UsageError } from './usage-error';

/** The URL used when neither `--url` nor `$OSLO_RX_URL` gives one. */
export const DEFAULT_URL = 'amqp://127.0.0.1:5672';

/** `--help` / `-h`. */
export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/** `--url URL`. */
export const URL_OPTION = { url: { type: 'string' } } as const;

/** `--timeout SECONDS`. */
export const TIMEOUT_OPTION = { timeout: { type: 'string' } } as const;

/** The fields of an RPC target: `--topic`, `--server`, `--exchange`, `--namespace`, `--version`. */
export const TARGET_OPTIONS = {
  topic: { type: 'string' },
  server: { type: 'string' },
  exchange: { type: 'string' },
  namespace: { type: 'string' },
  version: { type: 'string' },
} as const;

/** The help line of `--url`, for usage texts. */
export const URL_HELP = `  --url URL           transport URL (default: $OSLO_RX_URL or ${DEFAULT_URL})`;

/** The transport URL: `--url`, else `$OSLO_RX_URL`, else {@link DEFAULT_URL}. */
export function transportUrl(url: string | undefined): string {
  return url ?? process.env.OSLO_RX_URL ?? DEFAULT_URL;
}

/** The value of a required option; throws {@link UsageError} when it is missing or empty. */
export function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new UsageError(`${name} is required`);
  return value;
}

/** `--timeout SECONDS` in milliseconds (undefined when not given); a positive number of seconds. */
export function timeoutMs(seconds: string | undefined): number | undefined {
  if (seconds === undefined) return undefined;
  const n = Number(seconds);
  if (seconds.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`--timeout expects a positive number of seconds, got "${seconds}"`);
  return Math.round(n * 1000);
}

/** An integer option within `[min, max]`; undefined when not given. */
export function integer(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`${name} expects an integer from ${min} to ${max}, got "${value}"`);
  return n;
}

/** A JSON option's value, parsed; throws {@link UsageError} when it is not JSON. */
export function json(value: string, name: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new UsageError(`${name} expects JSON, got ${value}`);
  }
}

/** The RPC target the target options name; `--version` must be `major.minor`. */
export function targetOf(values: { [K in keyof typeof TARGET_OPTIONS]?: string }): TargetFields & { topic: string } {
  const { topic, server, exchange, namespace, version } = values;
  if (version !== undefined && !/^\d+\.\d+$/.test(version)) throw new UsageError(`--version expects major.minor (e.g. 1.2), got "${version}"`);
  return { topic: required(topic, '--topic'), server, exchange, namespace, version };
}
