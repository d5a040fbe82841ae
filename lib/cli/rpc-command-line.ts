/**
 * The command line `oslo-rx call` and `oslo-rx cast` share: `[options] METHOD [key=value ...]`.
 * @module
 */
import type { Command } from 'commander';
import { type ClientOptions, type TargetOptions, jsonObject, timeoutOption, withClientOptions, withTargetOptions } from './command-options';
import { UsageError } from './usage-error';

/** The options `call` and `cast` share, as commander parses them. */
export interface RpcOptions extends ClientOptions, TargetOptions {
  /** `--server S`. */
  readonly server?: string;
  /** `--args JSON`. */
  readonly args?: Record<string, unknown>;
  /** `--timeout SECONDS`, in milliseconds. */
  readonly timeout?: number;
}

/**
 * Adds the arguments and options `call` and `cast` share to `command`.
 *
 * @param timeoutHelp what `--timeout` waits for, and its default
 */
export function withRpcCommandLine(command: Command, timeoutHelp: string): Command {
  withTargetOptions(command.argument('<METHOD>', 'the method').argument('[key=value...]', 'its arguments; a value that parses as JSON is JSON'), {
    version: 'the version the method needs',
  })
    .option('--server <S>', 'one server of the topic (default: any one)')
    .option('--args <JSON>', 'arguments as a JSON object; key=value pairs are added to it', jsonObject)
    .addOption(timeoutOption(timeoutHelp));
  return withClientOptions(command);
}

/** The arguments: `--args` (a JSON object) and then each `key=value`, the value parsed as JSON when it parses. */
export function rpcArguments(pairs: readonly string[], base: Record<string, unknown> = {}): Record<string, unknown> {
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
