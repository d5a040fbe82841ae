/**
 * The `oslo-rx` command: parses the command line and runs the subcommand.
 * @module
 */
import { CommanderError } from 'commander';
import { type CliIo, ExitCode } from './cli-io';
import { commandContext } from './command-action';
import { joinConfigPairs } from './config-option';
import { PASSED_THROUGH_CODES, createProgram } from './program';

/**
 * Runs `oslo-rx` with `argv` (the arguments after the program name) and returns its
 * exit code: `oslo-rx <command> [options]`, `oslo-rx --help`, `oslo-rx help <command>`.
 * A bad command line exits 64 with the command's usage on stderr.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const context = commandContext(io);
  const program = createProgram(context);
  if (argv.length === 0) {
    io.stderr.write('error: no command given\n\n');
    program.outputHelp({ error: true });
    return ExitCode.usage;
  }
  try {
    await program.parseAsync(joinConfigPairs(argv), { from: 'user' });
    return context.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return PASSED_THROUGH_CODES.includes(e.exitCode) ? e.exitCode : ExitCode.usage;
    throw e;
  }
}
