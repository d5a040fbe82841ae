/**
 * `oslo-rx notify`: one notification.
 * @module
 */
import { hostname } from 'node:os';
import { lastValueFrom } from 'rxjs';
import { Notifier, createTransport, priorityNamed } from '../index';
import { type Command, ExitCode } from './cli-io';
import { HELP_OPTION, TIMEOUT_OPTION, URL_HELP, URL_OPTION, json, required, timeoutMs, transportUrl } from './command-options';
import { parseCommandLine } from './parse-command-line';
import { runCommand, showHelp } from './run-command';
import { UsageError } from './usage-error';
import { withDeadline } from './with-deadline';

const USAGE = `usage: oslo-rx notify --event E [--topic T] [--publisher P] [--priority P] [--payload JSON]
                     [--context JSON] [--driver messagingv2|messaging] [--timeout SECONDS] [--url URL]

Sends one notification, as oslo.messaging's Notifier does; exits once the
intermediary has it.

  --event E           the event type, e.g. compute.instance.create.end (required)
  --topic T           the topic (default: notifications)
  --publisher P       the publisher id (default: oslo-rx.<hostname>)
  --priority P        audit, debug, info, warn, error, critical or sample (default: info)
  --payload JSON      the payload (default: {})
  --context JSON      the request context, an object (default: {})
  --driver D          messagingv2 (oslo's envelope) or messaging (v1) (default: messagingv2)
  --timeout SECONDS   how long to wait for the intermediary (default: 30)
${URL_HELP}
`;

const OPTIONS = {
  ...HELP_OPTION,
  ...URL_OPTION,
  ...TIMEOUT_OPTION,
  event: { type: 'string' },
  topic: { type: 'string' },
  publisher: { type: 'string' },
  priority: { type: 'string' },
  payload: { type: 'string' },
  context: { type: 'string' },
  driver: { type: 'string' },
} as const;

/** `oslo-rx notify`: sends one notification. */
export const notifyCommand: Command = (argv, io) =>
  runCommand('notify', USAGE, io, async () => {
    const { values } = parseCommandLine(argv, { options: OPTIONS });
    if (values.help) return showHelp(io, USAGE);
    const eventType = required(values.event, '--event');
    const priority = priorityNamed(values.priority ?? 'info');
    if (!priority) throw new UsageError(`--priority: unknown priority "${values.priority}"`);
    const driver = values.driver ?? 'messagingv2';
    if (driver !== 'messagingv2' && driver !== 'messaging') throw new UsageError(`--driver expects messagingv2 or messaging, got "${driver}"`);
    const payload = values.payload === undefined ? {} : json(values.payload, '--payload');
    const context = values.context === undefined ? {} : json(values.context, '--context');
    if (typeof context !== 'object' || context === null || Array.isArray(context)) throw new UsageError(`--context expects a JSON object, got ${values.context}`);
    const deadline = timeoutMs(values.timeout);
    const topic = values.topic ?? 'notifications';
    const transport = createTransport(transportUrl(values.url));
    try {
      const notifier = new Notifier(transport, { publisherId: values.publisher ?? `oslo-rx.${hostname()}`, topics: [topic], driver });
      const sent = notifier.notify(priority, context as Record<string, unknown>, eventType, payload).pipe(withDeadline(deadline, `notification ${eventType}`));
      await lastValueFrom(sent, { defaultValue: undefined });
      io.stderr.write(`${priority} ${eventType} sent to ${topic}\n`);
      return ExitCode.ok;
    } finally {
      await transport.close();
    }
  });
