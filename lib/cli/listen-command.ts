/**
 * `oslo-rx listen`: notifications as JSON lines, JSON arrays per batch, or lines for people.
 * @module
 */
import { type Command, Option } from 'commander';
import { type Observable, bufferTime, filter, identity, tap } from 'rxjs';
import { type IncomingNotification, type Priority, filterNotifications, notificationListener, priorityNamed, redactTransportUrl } from '../index';
import { ExitCode } from './cli-io';
import type { CommandContext } from './command-action';
import { type ClientOptions, examples, integer, regex, repeated, transportOf, withClientOptions } from './command-options';
import { jsonLine, notificationRecord, prettyLine } from './notification-line';
import { runUntilStopped } from './run-until-stopped';
import { stopSignal } from './stop-signal';
import { UsageError } from './usage-error';

/** How long a batch collects when only `--batch N` is given. */
const DEFAULT_BATCH_MS = 1000;

/** The options of `oslo-rx listen`. */
interface ListenOptions extends ClientOptions {
  readonly topic: string;
  readonly priority?: readonly string[];
  readonly count?: number;
  readonly event?: string;
  readonly publisher?: string;
  readonly batch?: number;
  readonly batchMs?: number;
  readonly pretty?: boolean;
  readonly json?: boolean;
  readonly pool?: string;
}

/** Adds `oslo-rx listen` to `program`: prints and acknowledges notifications. */
export function addListenCommand(program: Command, { io, action }: CommandContext): void {
  const command = program
    .command('listen')
    .summary('print notifications (JSON lines, batches, or lines for people)')
    .description(
      `Prints each notification and acknowledges it: one JSON line each when stdout is not a
terminal (or with --json), one line for people on a terminal (or with --pretty). With
--batch or --batch-ms, collects batches (N notifications or MS milliseconds, whichever
comes first) and prints one JSON array per batch. --event and --publisher are
oslo's NotificationFilter rules (a regular expression matched at the start); filtered-out
notifications are acknowledged. Stops after N notifications with --count, else on
SIGINT or SIGTERM.`,
    )
    .option('--topic <T>', 'the topic', 'notifications')
    .option('--priority <P>', 'a priority to listen to; repeat for more (default: all)', repeated)
    .option('--event <REGEX>', 'only event types matching REGEX', regex)
    .option('--publisher <REGEX>', 'only publisher ids matching REGEX', regex)
    .option('--batch <N>', 'print batches of up to N notifications', integer(1, 100_000))
    .option('--batch-ms <MS>', `a batch collects for at most MS milliseconds (default with --batch: ${DEFAULT_BATCH_MS})`, integer(1, 3_600_000))
    .addOption(new Option('--pretty', 'one line for people per notification').conflicts('json'))
    .option('--json', 'one JSON line per notification, even on a terminal')
    .option('--pool <NAME>', 'the listener pool (names the links; see the README on pools)')
    .option('--count <N>', 'stop after N notifications', integer(1));
  withClientOptions(command).addHelpText(
    'after',
    examples([
      ['oslo-rx listen', 'every notification on topic notifications'],
      ["oslo-rx listen --event '^compute\\.instance\\.' --priority error --count 10", 'ten ERROR compute.instance.* notifications, then exit'],
      ['oslo-rx listen --batch 100 --batch-ms 500 | jq length', 'one JSON array per batch'],
      ['oslo-rx listen --publisher compute.host1 --pretty', 'lines for people from compute.host1'],
    ]),
  );
  command.action(
    action(async (options: ListenOptions) => {
      const priorities = options.priority?.map((p): Priority => {
        const priority = priorityNamed(p);
        if (!priority) throw new UsageError(`--priority: unknown priority "${p}"`);
        return priority;
      });
      const { topic, count, pool } = options;
      const batching = options.batch !== undefined || options.batchMs !== undefined;
      const pretty = options.pretty ?? (options.json !== true && io.stdout.isTTY === true);
      const line = pretty ? prettyLine : jsonLine;
      const { transport, url } = transportOf(options);
      const stop = stopSignal(io.signal);
      let taken = 0;
      let written = 0;
      let enough = () => {};
      const counted = new Promise<void>((resolve) => (enough = resolve));
      const printed = (n: number) => {
        written += n;
        if (written === count) enough();
      };
      const filtering = options.event !== undefined || options.publisher !== undefined;
      try {
        // past --count, notifications are left unsettled: closing the transport gives them back
        const limited: Observable<IncomingNotification> = notificationListener(transport, [{ topic }], { priorities, pool }).pipe(
          filtering ? filterNotifications({ eventType: options.event, publisherId: options.publisher }) : identity,
          filter(() => count === undefined || taken < count),
          tap(() => taken++),
        );
        const printing = batching
          ? limited.pipe(
              bufferTime(options.batchMs ?? DEFAULT_BATCH_MS, null, options.batch ?? Number.POSITIVE_INFINITY),
              filter((batch) => batch.length > 0),
              tap((batch) => {
                io.stdout.write(pretty ? `--- ${batch.length} notifications\n${batch.map((n) => `${prettyLine(n)}\n`).join('')}` : `${JSON.stringify(batch.map(notificationRecord))}\n`);
                for (const n of batch) n.ack();
                printed(batch.length);
              }),
            )
          : limited.pipe(
              tap((n) => {
                io.stdout.write(`${line(n)}\n`);
                n.ack();
                printed(1);
              }),
            );
        await runUntilStopped(printing, transport, Promise.race([stop.stopped, counted]), () =>
          io.stderr.write(`listening to ${topic} (${(priorities ?? ['every priority']).join(', ')})${pool ? ` in pool ${pool}` : ''} on ${redactTransportUrl(url)}\n`),
        );
        return ExitCode.ok;
      } finally {
        stop.dispose();
      }
    }),
  );
}
