/**
 * The `oslo-rx` command: picks the subcommand.
 * @module
 */
import { brokerCommand } from './broker-command';
import { callCommand } from './call-command';
import { castCommand } from './cast-command';
import { type CliIo, type Command, ExitCode } from './cli-io';
import { DEFAULT_URL } from './command-options';
import { listenCommand } from './listen-command';
import { notifyCommand } from './notify-command';
import { serveCommand } from './serve-command';

/** The usage of `oslo-rx` itself. */
export const USAGE = `usage: oslo-rx <command> [options]

oslo.messaging RPC and notifications over AMQP 1.0, from the command line.

commands:
  broker    run the embedded AMQP 1.0 intermediary (a broker or a router)
  serve     run an RPC server with built-in methods: echo, ping, sleep, fail
  call      call a method and print its result as JSON
  cast      send a method call without waiting for a result
  notify    send a notification
  listen    print notifications as JSON lines

There is no bench command: run \`npm run bench\` in a checkout of oslo-rx.

Every command but broker takes --url URL (default: $OSLO_RX_URL or ${DEFAULT_URL});
passwords in it are never printed. \`oslo-rx <command> --help\` shows a command's options.

exit status: 0 done, 1 failed (a remote error prints "ClassName: message"),
2 timed out, 64 bad usage
`;

/** The subcommands by name. */
export const COMMANDS: Readonly<Record<string, Command>> = Object.freeze({
  broker: brokerCommand,
  serve: serveCommand,
  call: callCommand,
  cast: castCommand,
  notify: notifyCommand,
  listen: listenCommand,
});

/**
 * Runs `oslo-rx` with `argv` (the arguments after the program name) and returns its
 * exit code: `oslo-rx <command> [options]`, `oslo-rx --help`, `oslo-rx help <command>`.
 */
export function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    io.stdout.write(USAGE);
    return Promise.resolve(ExitCode.ok);
  }
  if (name === 'help') return runCli([rest[0]!, '--help'], io);
  const command = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command) return command(rest, io);
  const why = name === undefined ? 'no command given' : name === 'bench' ? 'bench is not a command: run `npm run bench` in a checkout of oslo-rx' : `unknown command "${name}"`;
  io.stderr.write(`oslo-rx: ${why}\n\n${USAGE}`);
  return Promise.resolve(ExitCode.usage);
}
