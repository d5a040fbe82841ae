/**
 * @module
 */
import type { Command } from 'commander';
import { MessagingTimeout, RemoteError, isMessagingError } from '../index';
import { type CliIo, ExitCode } from './cli-io';

/** The errors that mean the command line is wrong (a `UsageError` is an `InvalidOption`). */
const USAGE_CODES: readonly string[] = ['InvalidOption', 'InvalidTransportURL', 'InvalidTarget', 'InvalidIntermediaryOption'];

/** What a subcommand's definition needs: its streams, and how to turn its body into a commander action. */
export interface CommandContext {
  /** Where the command writes. */
  readonly io: CliIo;
  /**
   * A commander action that runs `body` (given the action's arguments: positionals, then
   * the options, then the command) and records its exit code. A usage error (a
   * `UsageError`, a bad URL, option or target) is reported by commander as a usage error
   * (the message and the command's help on stderr, exit 64); a `RemoteError` prints
   * `ClassName: message` and exits 1; a `MessagingTimeout` exits 2; anything else prints
   * `Name: message` and exits 1. oslo-rx's errors never hold a password.
   */
  action<A extends unknown[]>(body: (...args: A) => Promise<number>): (...args: A) => Promise<void>;
}

/** A {@link CommandContext} for `io`, and the exit code its actions recorded. */
export function commandContext(io: CliIo): CommandContext & { readonly exitCode: number } {
  let exitCode: number = ExitCode.ok;
  return {
    io,
    get exitCode() {
      return exitCode;
    },
    action: (body) =>
      async (...args) => {
        const command = args[args.length - 1] as Command;
        try {
          exitCode = await body(...args);
        } catch (e) {
          if (isMessagingError(e) && USAGE_CODES.includes(e.code)) command.error(`error: ${e.message}`, { exitCode: ExitCode.usage, code: 'oslo-rx.usage' });
          exitCode = reportFailure(io, e);
        }
      },
  };
}

/** Writes one line about a failure on stderr and returns the exit code it means. */
function reportFailure(io: CliIo, e: unknown): number {
  if (e instanceof RemoteError) {
    io.stderr.write(`${e.className}: ${e.remoteMessage}\n`);
    return ExitCode.failure;
  }
  const error = e instanceof Error ? e : new Error(String(e));
  io.stderr.write(`${error.name}: ${error.message}\n`);
  return e instanceof MessagingTimeout ? ExitCode.timeout : ExitCode.failure;
}
