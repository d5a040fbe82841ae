/**
 * `oslo-rx notify`: one notification, or N of them.
 * @module
 */
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { type Command, Option } from 'commander';
import { lastValueFrom, mergeMap, range, tap } from 'rxjs';
import { Notifier, type Priority, priorityNamed } from '../index';
import { ExitCode } from './cli-io';
import type { CommandContext } from './command-action';
import { type ClientOptions, examples, integer, json, jsonObject, required, timeoutOption, transportOf, withClientOptions } from './command-options';
import { progressBar } from './progress';
import { UsageError } from './usage-error';
import { withDeadline } from './with-deadline';

/** Notifications in flight at once with `--count`; a count above it shows a progress bar. */
const BATCH = 100;

/** The options of `oslo-rx notify`. */
interface NotifyOptions extends ClientOptions {
  readonly event?: string;
  readonly topic: string;
  readonly publisher?: string;
  readonly priority: string;
  readonly payload: string;
  readonly context: Record<string, unknown>;
  readonly driver: 'messagingv2' | 'messaging';
  readonly timeout?: number;
  readonly count: number;
}

/** The payload of notification `i`: `--payload` with each `{i}` replaced by `i`, as JSON. */
function payloadFor(template: string, i: number): unknown {
  const text = template.replaceAll('{i}', String(i));
  try {
    return json(text);
  } catch {
    throw new UsageError(`--payload expects JSON (after {i} is replaced), got ${text}`);
  }
}

/** Adds `oslo-rx notify` to `program`: sends notifications. */
export function addNotifyCommand(program: Command, { io, action }: CommandContext): void {
  const command = program
    .command('notify')
    .summary('send notifications')
    .description(
      `Sends a notification (or --count N of them, ${BATCH} in flight at once), as oslo.messaging's
Notifier does; exits once the intermediary has them. With --count, {i} in --payload is
the notification's number (1 to N), a progress bar shows on a terminal and a last line
gives the rate.`,
    )
    .option('--event <E>', 'the event type, e.g. compute.instance.create.end (required)')
    .option('--topic <T>', 'the topic', 'notifications')
    .option('--publisher <P>', 'the publisher id (default: oslo-rx.<hostname>)')
    .option('--priority <P>', 'audit, debug, info, warn, error, critical or sample', 'info')
    .option('--payload <JSON>', 'the payload; {i} stands for the sequence number', '{}')
    .option('--context <JSON>', 'the request context, an object', jsonObject, {})
    .addOption(new Option('--driver <D>', "messagingv2 (oslo's envelope) or messaging (v1)").choices(['messagingv2', 'messaging']).default('messagingv2'))
    .option('--count <N>', 'send N notifications', integer(1), 1)
    .addOption(timeoutOption('how long to wait for the intermediary, per notification (default: 30)'));
  withClientOptions(command).addHelpText(
    'after',
    examples([
      ['oslo-rx notify --event compute.instance.create.end --payload \'{"id":42}\'', 'one INFO notification on topic notifications'],
      ['oslo-rx notify --event load.test --count 10000 --payload \'{"n":{i}}\'', '10000 notifications numbered 1..10000, then the rate'],
      ['oslo-rx notify --event disk.full --priority error --publisher compute.host1', 'an ERROR notification from compute.host1'],
    ]),
  );
  command.action(
    action(async (options: NotifyOptions) => {
      const eventType = required(options.event, '--event');
      const priority: Priority | undefined = priorityNamed(options.priority);
      if (!priority) throw new UsageError(`--priority: unknown priority "${options.priority}"`);
      const { topic, count } = options;
      payloadFor(options.payload, 1); // a bad payload is a usage error before anything is sent
      const { transport } = transportOf(options);
      try {
        const notifier = new Notifier(transport, { publisherId: options.publisher ?? `oslo-rx.${hostname()}`, topics: [topic], driver: options.driver });
        const send = (i: number) =>
          notifier.notify(priority, options.context, eventType, payloadFor(options.payload, i)).pipe(withDeadline(options.timeout, `notification ${eventType}`));
        if (count === 1) {
          await lastValueFrom(send(1), { defaultValue: undefined });
          io.stderr.write(`${priority} ${eventType} sent to ${topic}\n`);
          return ExitCode.ok;
        }
        const progress = progressBar(io.stderr, count, 'sending', BATCH + 1);
        const t0 = performance.now();
        try {
          await lastValueFrom(range(1, count).pipe(mergeMap((i) => send(i).pipe(tap({ complete: () => progress.increment() })), BATCH)), { defaultValue: undefined });
        } finally {
          progress.stop();
        }
        const seconds = (performance.now() - t0) / 1000;
        io.stderr.write(`${count} ${priority} ${eventType} notifications sent to ${topic} in ${seconds.toFixed(2)} s (${(count / seconds).toFixed(0)}/s)\n`);
        return ExitCode.ok;
      } finally {
        await transport.close();
      }
    }),
  );
}
