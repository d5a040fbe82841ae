/**
 * The `oslo-rx` command line as a commander program.
 * @module
 */
import { Command } from 'commander';
import { addBenchCommand } from './bench-command';
import { addBrokerCommand } from './broker-command';
import { addCallCommand } from './call-command';
import { addCastCommand } from './cast-command';
import { ExitCode } from './cli-io';
import type { CommandContext } from './command-action';
import { DEFAULT_URL, examples } from './command-options';
import { addListenCommand } from './listen-command';
import { addNotifyCommand } from './notify-command';
import { addServeCommand } from './serve-command';

/** The width help is wrapped to, whatever the terminal: tests and docs see the same text. */
const HELP_WIDTH = 100;

/** What `oslo-rx --help` says after the command list. */
const FOOTER = `
Every command but broker and bench takes --url URL (default: $OSLO_RX_URL or ${DEFAULT_URL};
passwords in it are never printed) and --config KEY=VALUE for any AMQP option by its oslo
name. \`oslo-rx <command> --help\` shows a command's options and examples.

exit status: 0 done, 1 failed (a remote error prints "ClassName: message"), 2 timed out,
64 bad usage, 69 something the command needs is missing
${examples([
  ['oslo-rx broker --port 0', 'an embedded broker; prints its URL'],
  ['oslo-rx serve --url amqp://127.0.0.1:5672 --topic demo --server s1', 'an RPC server'],
  ['oslo-rx call --url amqp://127.0.0.1:5672 --topic demo echo n=1', 'prints {"n":1}'],
])}`;

/**
 * The `oslo-rx` program, writing to `context.io`: every subcommand, help on stdout,
 * errors and usage on stderr, no `process.exit` (commander's exits are thrown as
 * `CommanderError`s for the caller to map to exit codes).
 */
export function createProgram(context: CommandContext): Command {
  const { io } = context;
  const program = new Command('oslo-rx')
    .description('oslo.messaging RPC and notifications over AMQP 1.0, from the command line.')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHelpWidth: () => HELP_WIDTH,
      getErrHelpWidth: () => HELP_WIDTH,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .exitOverride()
    .showHelpAfterError()
    .helpCommand('help [command]', 'show the help of a command')
    .addHelpText('after', FOOTER);
  for (const add of [addBrokerCommand, addServeCommand, addCallCommand, addCastCommand, addNotifyCommand, addListenCommand, addBenchCommand]) add(program, context);
  return program;
}

/** `CommanderError` exit codes that are not commander's own usage failures. */
export const PASSED_THROUGH_CODES: readonly number[] = [ExitCode.ok, ExitCode.usage];
