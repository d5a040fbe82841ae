/**
 * `oslo-rx listen`: notifications as JSON lines.
 * @module
 */
import { filter, tap } from 'rxjs';
import { type IncomingNotification, type Priority, createTransport, notificationListener, priorityNamed, redactTransportUrl } from '../index';
import { type Command, ExitCode } from './cli-io';
import { HELP_OPTION, URL_HELP, URL_OPTION, integer, transportUrl } from './command-options';
import { parseCommandLine } from './parse-command-line';
import { runCommand, showHelp } from './run-command';
import { runUntilStopped } from './run-until-stopped';
import { stopSignal } from './stop-signal';
import { UsageError } from './usage-error';

const USAGE = `usage: oslo-rx listen [--topic T] [--priority P ...] [--count N] [--url URL]

Prints each notification as one line of JSON and acknowledges it; stops after N
notifications when --count is given, else on SIGINT or SIGTERM.

  --topic T           the topic (default: notifications)
  --priority P        a priority to listen to; repeat for more (default: all)
  --count N           stop after N notifications
${URL_HELP}
`;

const OPTIONS = {
  ...HELP_OPTION,
  ...URL_OPTION,
  topic: { type: 'string' },
  priority: { type: 'string', multiple: true },
  count: { type: 'string' },
} as const;

/** A notification as one JSON line. */
function jsonLine(n: IncomingNotification): string {
  const { priority, publisherId, eventType, payload, context, metadata, version } = n;
  return JSON.stringify({ priority, publisherId, eventType, payload, context, metadata, version });
}

/** `oslo-rx listen`: prints and acknowledges notifications. */
export const listenCommand: Command = (argv, io) =>
  runCommand('listen', USAGE, io, async () => {
    const { values } = parseCommandLine(argv, { options: OPTIONS });
    if (values.help) return showHelp(io, USAGE);
    const priorities = values.priority?.map((p): Priority => {
      const priority = priorityNamed(p);
      if (!priority) throw new UsageError(`--priority: unknown priority "${p}"`);
      return priority;
    });
    const count = integer(values.count, '--count', 1, Number.MAX_SAFE_INTEGER);
    const topic = values.topic ?? 'notifications';
    const url = transportUrl(values.url);
    const transport = createTransport(url);
    const stop = stopSignal(io.signal);
    let heard = 0;
    let enough = () => {};
    const counted = new Promise<void>((resolve) => (enough = resolve));
    try {
      // past --count, notifications are left unsettled: closing the transport gives them back
      const notifications = notificationListener(transport, [{ topic }], priorities ? { priorities } : {}).pipe(
        filter(() => count === undefined || heard < count),
        tap((n) => {
          io.stdout.write(`${jsonLine(n)}\n`);
          n.ack();
          if (++heard === count) enough();
        }),
      );
      await runUntilStopped(notifications, transport, Promise.race([stop.stopped, counted]), () =>
        io.stderr.write(`listening to ${topic} (${(priorities ?? ['every priority']).join(', ')}) on ${redactTransportUrl(url)}\n`),
      );
      return ExitCode.ok;
    } finally {
      stop.dispose();
    }
  });
