/**
 * `oslo-rx broker`: the embedded intermediary as a process.
 * @module
 */
import { type Command, Option } from 'commander';
import { type IntermediaryMode, startEmbeddedIntermediary } from '../testing';
import { ExitCode } from './cli-io';
import type { CommandContext } from './command-action';
import { examples, integer } from './command-options';
import { stopSignal } from './stop-signal';

/** The options of `oslo-rx broker`, as commander parses them. */
interface BrokerOptions {
  readonly mode: IntermediaryMode;
  readonly port: number;
  readonly host: string;
}

/**
 * The options of `oslo-rx broker`, one entry each: add a flag here (and read it in the
 * action) to extend the command.
 */
const BROKER_OPTIONS: readonly Option[] = [
  new Option('--mode <MODE>', 'broker: store and forward (legacy addresses); router: direct, like qpid-dispatch-router (routable addresses)')
    .choices(['broker', 'router'])
    .default('broker'),
  new Option('--port <N>', 'port to listen on, 0 for any free one').argParser(integer(0, 65535)).default(5672),
  new Option('--host <H>', 'address to listen on').default('127.0.0.1'),
];

/** Adds `oslo-rx broker` to `program`: starts the embedded intermediary, prints its URL, stops on a signal. */
export function addBrokerCommand(program: Command, { io, action }: CommandContext): void {
  const command = program
    .command('broker')
    .summary('run the embedded AMQP 1.0 intermediary (a broker or a router)')
    .description(
      'Runs the embedded AMQP 1.0 intermediary (for development and tests, not production)\nand prints its URL; stops on SIGINT or SIGTERM.',
    )
    .addHelpText(
      'after',
      examples([
        ['oslo-rx broker', 'a broker on 127.0.0.1:5672'],
        ['oslo-rx broker --mode router --port 0', 'a router on any free port (its URL is printed)'],
      ]),
    );
  for (const option of BROKER_OPTIONS) command.addOption(option);
  command.action(
    action(async ({ mode, port, host }: BrokerOptions) => {
      const stop = stopSignal(io.signal);
      try {
        const intermediary = await startEmbeddedIntermediary({ mode, port, host });
        io.stdout.write(`${intermediary.url}\n`);
        io.stderr.write(`embedded ${mode} listening; SIGINT or SIGTERM stops it\n`);
        const reason = await stop.stopped;
        await intermediary.stop();
        io.stderr.write(`${reason}: embedded ${mode} stopped\n`);
        return ExitCode.ok;
      } finally {
        stop.dispose();
      }
    }),
  );
}
