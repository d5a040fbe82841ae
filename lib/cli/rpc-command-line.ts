/**
 * The command line of `oslo-rx call` and `oslo-rx cast`.
 * @module
 */
import type { TargetFields } from '../index';
import { HELP_OPTION, TARGET_OPTIONS, TIMEOUT_OPTION, URL_OPTION, json, targetOf, timeoutMs, transportUrl } from './command-options';
import { parseCommandLine } from './parse-command-line';
import { UsageError } from './usage-error';

/** What `call` and `cast` were asked to do. */
export interface RpcCommandLine {
  /** True for `--help`; nothing else is then set. */
  readonly help: boolean;
  /** The transport URL. */
  readonly url: string;
  /** Where the message goes. */
  readonly target: TargetFields & { readonly topic: string };
  /** The method to call. */
  readonly method: string;
  /** Its arguments. */
  readonly args: Record<string, unknown>;
  /** `--timeout`, in milliseconds. */
  readonly timeoutMs?: number;
}

/** The option lines both usage texts share. */
export const RPC_OPTIONS_HELP = `  --topic T           the topic (required)
  --server S          one server of the topic (default: any one)
  --exchange E        the exchange (default: openstack)
  --namespace N       the endpoint namespace (default: none)
  --version V         the version the method needs, major.minor (default: 1.0)
  --args JSON         arguments as a JSON object; key=value pairs are added to it
  --timeout SECONDS   how long to wait`;

/** The arguments: `--args` (a JSON object) and then each `key=value`, the value parsed as JSON when it parses. */
export function rpcArguments(pairs: readonly string[], argsJson: string | undefined): Record<string, unknown> {
  const base = argsJson === undefined ? {} : json(argsJson, '--args');
  if (typeof base !== 'object' || base === null || Array.isArray(base)) throw new UsageError(`--args expects a JSON object, got ${argsJson}`);
  const args: Record<string, unknown> = { ...base };
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`arguments are key=value, got "${pair}"`);
    const text = pair.slice(eq + 1);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // not JSON: the text itself
    }
    args[pair.slice(0, eq)] = value;
  }
  return args;
}

/**
 * Parses `[options] METHOD [key=value ...]`.
 *
 * @param fanout whether `--fanout` is allowed (cast only)
 */
export function parseRpcCommandLine(argv: readonly string[], fanout: boolean): RpcCommandLine & { readonly fanout: boolean } {
  const options = { ...HELP_OPTION, ...URL_OPTION, ...TARGET_OPTIONS, ...TIMEOUT_OPTION, args: { type: 'string' } } as const;
  const { values, positionals } = parseCommandLine(argv, {
    options: fanout ? { ...options, fanout: { type: 'boolean' } as const } : options,
    allowPositionals: true,
  });
  if (values.help) return { help: true, url: '', target: { topic: '' }, method: '', args: {}, fanout: false };
  const [method, ...pairs] = positionals;
  if (!method) throw new UsageError('a METHOD is required');
  return {
    help: false,
    url: transportUrl(values.url),
    target: targetOf(values),
    method,
    args: rpcArguments(pairs, values.args),
    timeoutMs: timeoutMs(values.timeout),
    fanout: 'fanout' in values && values.fanout === true,
  };
}
