/**
 * `oslo-rx serve`: an RPC server with the built-in methods.
 * @module
 */
import { tap } from 'rxjs';
import { type Dispatched, createTransport, dispatch, redactTransportUrl, rpcServer } from '../index';
import { BuiltInEndpoint } from './built-in-endpoint';
import { type CliIo, type Command, ExitCode } from './cli-io';
import { HELP_OPTION, TARGET_OPTIONS, URL_HELP, URL_OPTION, required, targetOf, transportUrl } from './command-options';
import { parseCommandLine } from './parse-command-line';
import { runCommand, showHelp } from './run-command';
import { runUntilStopped } from './run-until-stopped';
import { stopSignal } from './stop-signal';

const USAGE = `usage: oslo-rx serve --topic T --server S [--exchange E] [--namespace N] [--version V] [--url URL]

Runs an RPC server offering:
  echo(args) -> args      ping() -> "pong"      sleep({seconds}) -> "slept"
  fail({message})         raises ValueError(message) (Python's builtins.ValueError)
Prints one line per request; stops on SIGINT or SIGTERM, letting requests in progress
finish for up to 2 s.

  --topic T           the topic to serve (required)
  --server S          this server's name (required)
  --exchange E        the exchange (default: openstack)
  --namespace N       the endpoint namespace (default: none)
  --version V         the endpoint version, major.minor (default: 1.0)
${URL_HELP}
`;

const OPTIONS = { ...HELP_OPTION, ...URL_OPTION, ...TARGET_OPTIONS } as const;

/** One line about a request served: time, method, arguments and outcome. */
function describe({ request, ...d }: Dispatched): string {
  const outcome = d.outcome === 'failed' ? `failed: ${errorText(d.error)}` : d.outcome;
  return `${new Date().toISOString()} ${request.method} ${JSON.stringify(request.args)} -> ${outcome}`;
}

function errorText(e: unknown): string {
  const python = (e as { pythonClass?: unknown })?.pythonClass;
  if (e instanceof Error) return `${typeof python === 'string' ? python : e.name}: ${e.message}`;
  return String(e);
}

/** `oslo-rx serve`: serves the built-in endpoint until SIGINT or SIGTERM. */
export const serveCommand: Command = (argv, io: CliIo) =>
  runCommand('serve', USAGE, io, async () => {
    const { values } = parseCommandLine(argv, { options: OPTIONS });
    if (values.help) return showHelp(io, USAGE);
    const { topic, server, exchange, namespace, version } = targetOf(values);
    required(server, '--server');
    const url = transportUrl(values.url);
    const transport = createTransport(url);
    const stop = stopSignal(io.signal);
    try {
      const requests = rpcServer(transport, { topic, server, exchange }).pipe(
        dispatch([new BuiltInEndpoint({ namespace, version })]),
        tap((d) => io.stdout.write(`${describe(d)}\n`)),
      );
      await runUntilStopped(requests, transport, stop.stopped, () =>
        io.stderr.write(`serving topic=${topic} server=${server}${exchange ? ` exchange=${exchange}` : ''} on ${redactTransportUrl(url)}\n`),
      );
      return ExitCode.ok;
    } finally {
      stop.dispose();
    }
  });
