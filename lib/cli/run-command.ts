/**
 * @module
 */
import { MessagingTimeout, RemoteError, isMessagingError } from '../index';
import { type CliIo, ExitCode } from './cli-io';

/** The errors that mean the command line is wrong (a `UsageError` is an `InvalidOption`). */
const USAGE_CODES: readonly string[] = ['InvalidOption', 'InvalidTransportURL', 'InvalidTarget'];

/** Writes `usage` to stdout (the answer to `--help`) and returns 0. */
export function showHelp(io: CliIo, usage: string): number {
  io.stdout.write(usage);
  return ExitCode.ok;
}

/**
 * Runs a subcommand's body and turns what it throws into an exit code and one line on
 * stderr: a `UsageError` (and a bad URL, option or target) exits 64 with the usage, a
 * `RemoteError` exits 1 as `ClassName: message`, a `MessagingTimeout` exits 2, anything
 * else exits 1 as `Name: message`. oslo-rx's errors never hold a password.
 *
 * @param name the subcommand, for messages
 * @param usage its usage text
 */
export async function runCommand(name: string, usage: string, io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (isMessagingError(e) && USAGE_CODES.includes(e.code)) {
      io.stderr.write(`oslo-rx ${name}: ${e.message}\n\n${usage}`);
      return ExitCode.usage;
    }
    if (e instanceof RemoteError) {
      io.stderr.write(`${e.className}: ${e.remoteMessage}\n`);
      return ExitCode.failure;
    }
    const error = e instanceof Error ? e : new Error(String(e));
    io.stderr.write(`${error.name}: ${error.message}\n`);
    return e instanceof MessagingTimeout ? ExitCode.timeout : ExitCode.failure;
  }
}
