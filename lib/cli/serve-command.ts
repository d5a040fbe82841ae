/**
 * `oslo-rx serve`: RPC servers with the built-in methods.
 * @module
 */
import type { Command } from 'commander';
import { merge, tap } from 'rxjs';
import { type Dispatched, dispatch, redactTransportUrl, rpcServer } from '../index';
import { BuiltInEndpoint } from './built-in-endpoint';
import { ExitCode } from './cli-io';
import type { CommandContext } from './command-action';
import { type ClientOptions, type TargetOptions, examples, integer, repeated, targetOf, transportOf, withClientOptions, withTargetOptions } from './command-options';
import { runUntilStopped } from './run-until-stopped';
import { stopSignal } from './stop-signal';
import { UsageError } from './usage-error';

/** The options of `oslo-rx serve`. */
interface ServeOptions extends ClientOptions, TargetOptions {
  readonly server?: readonly string[];
  readonly count?: number;
  readonly delay: number;
}

/** One line about a request served: time, server, method, arguments and outcome. */
function describe(server: string | undefined, { request, ...d }: Dispatched): string {
  const outcome = d.outcome === 'failed' ? `failed: ${errorText(d.error)}` : d.outcome;
  return `${new Date().toISOString()}${server ? ` ${server}` : ''} ${request.method} ${JSON.stringify(request.args)} -> ${outcome}`;
}

function errorText(e: unknown): string {
  const python = (e as { pythonClass?: unknown })?.pythonClass;
  if (e instanceof Error) return `${typeof python === 'string' ? python : e.name}: ${e.message}`;
  return String(e);
}

/** The server names: each `--server`, or with `--count N` the names `<server>-1` to `<server>-N` (`<server>` defaults to `server`). */
function serverNames(names: readonly string[], count: number | undefined): string[] {
  if (count === undefined) {
    if (names.length === 0) throw new UsageError('--server is required (or --count N)');
    return [...new Set(names)];
  }
  if (names.length > 1) throw new UsageError('--count takes at most one --server (the prefix of the names)');
  return Array.from({ length: count }, (_, i) => `${names[0] ?? 'server'}-${i + 1}`);
}

/** Adds `oslo-rx serve` to `program`: serves the built-in endpoint until SIGINT or SIGTERM. */
export function addServeCommand(program: Command, { io, action }: CommandContext): void {
  const command = program
    .command('serve')
    .summary('run RPC servers with built-in methods: echo, ping, sleep, fail')
    .description(
      `Runs RPC servers offering:
  echo(args) -> args      ping() -> "pong"      sleep({seconds}) -> "slept"
  fail({message})         raises ValueError(message) (Python's builtins.ValueError)
Several servers (--server more than once, or --count) share one connection: calls to
the topic go to one of them in turn, casts with --fanout to each. Prints one line per
request; stops on SIGINT or SIGTERM, letting requests in progress finish for up to 2 s.`,
    )
    .option('--server <S>', "a server's name; repeat for several servers (required, or --count)", repeated)
    .option('--count <N>', 'run N servers named <server>-1 to <server>-N (default name: server)', integer(1, 1000))
    .option('--delay <MS>', 'each method works MS milliseconds before it answers', integer(0, 3_600_000), 0);
  withClientOptions(withTargetOptions(command, { version: 'the endpoint version' })).addHelpText(
    'after',
    examples([
      ['oslo-rx serve --topic demo --server s1', 'one server'],
      ['oslo-rx serve --topic demo --count 3 --delay 100', 'servers server-1..3, each request takes 100 ms: try round robin'],
      ['oslo-rx serve --topic demo --server a --server b', 'then `oslo-rx cast --topic demo --fanout ping` reaches both'],
    ]),
  );
  command.action(
    action(async (options: ServeOptions) => {
      const { topic, exchange, namespace, version } = targetOf(options);
      const servers = serverNames(options.server ?? [], options.count);
      const { transport, url } = transportOf(options);
      const stop = stopSignal(io.signal);
      const named = servers.length > 1;
      try {
        const requests = merge(
          ...servers.map((server) =>
            rpcServer(transport, { topic, server, exchange }).pipe(
              dispatch([new BuiltInEndpoint({ namespace, version }, options.delay)]),
              tap((d) => io.stdout.write(`${describe(named ? server : undefined, d)}\n`)),
            ),
          ),
        );
        await runUntilStopped(requests, transport, stop.stopped, () =>
          io.stderr.write(`serving topic=${topic} server=${servers.join(',')}${exchange ? ` exchange=${exchange}` : ''} on ${redactTransportUrl(url)}\n`),
        );
        return ExitCode.ok;
      } finally {
        stop.dispose();
      }
    }),
  );
}
