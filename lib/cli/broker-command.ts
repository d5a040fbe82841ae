/**
 * `oslo-rx broker`: the embedded intermediary as a process.
 * @module
 */
import { type IntermediaryMode, startEmbeddedIntermediary } from '../testing';
import { type Command, ExitCode } from './cli-io';
import { HELP_OPTION, integer } from './command-options';
import { parseCommandLine } from './parse-command-line';
import { runCommand, showHelp } from './run-command';
import { stopSignal } from './stop-signal';
import { UsageError } from './usage-error';

const USAGE = `usage: oslo-rx broker [--mode broker|router] [--port N] [--host H]

Runs the embedded AMQP 1.0 intermediary (for development and tests, not production)
and prints its URL; stops on SIGINT or SIGTERM.

  --mode broker|router  broker: store and forward (legacy addresses);
                        router: direct, like qpid-dispatch-router (routable addresses)
                        (default: broker)
  --port N              port to listen on, 0 for any free one (default: 5672)
  --host H              address to listen on (default: 127.0.0.1)
`;

const OPTIONS = { ...HELP_OPTION, mode: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } } as const;

/** `oslo-rx broker`: starts the embedded intermediary, prints its URL, stops on a signal. */
export const brokerCommand: Command = (argv, io) =>
  runCommand('broker', USAGE, io, async () => {
    const { values } = parseCommandLine(argv, { options: OPTIONS });
    if (values.help) return showHelp(io, USAGE);
    const mode = values.mode ?? 'broker';
    if (mode !== 'broker' && mode !== 'router') throw new UsageError(`--mode expects broker or router, got "${mode}"`);
    const port = integer(values.port, '--port', 0, 65535) ?? 5672;
    const stop = stopSignal(io.signal);
    try {
      const intermediary = await startEmbeddedIntermediary({ mode: mode as IntermediaryMode, port, host: values.host ?? '127.0.0.1' });
      io.stdout.write(`${intermediary.url}\n`);
      io.stderr.write(`embedded ${mode} listening; SIGINT or SIGTERM stops it\n`);
      const reason = await stop.stopped;
      await intermediary.stop();
      io.stderr.write(`${reason}: embedded ${mode} stopped\n`);
      return ExitCode.ok;
    } finally {
      stop.dispose();
    }
  });
