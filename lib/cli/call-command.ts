/**
 * `oslo-rx call`: RPC calls, the result (or a latency summary) on stdout.
 * @module
 */
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { type Observable, catchError, firstValueFrom, lastValueFrom, map, mergeMap, of, range, toArray } from 'rxjs';
import { RpcClient } from '../index';
import { ExitCode } from './cli-io';
import type { CommandContext } from './command-action';
import { examples, integer, targetOf, transportOf } from './command-options';
import { latencyLine, summarizeLatencies } from './latency-summary';
import { type RpcOptions, rpcArguments, withRpcCommandLine } from './rpc-command-line';

/** The options of `oslo-rx call`. */
interface CallOptions extends RpcOptions {
  readonly count: number;
  readonly concurrency: number;
}

/** One timed call: its latency and its error, if it failed. */
interface Timed {
  readonly ms: number;
  readonly error?: unknown;
}

/** Subscribes to `call` and times it; a failure is a value, not an error. */
function timed(call: Observable<unknown>): Observable<Timed> {
  const t0 = performance.now();
  return call.pipe(
    map(() => ({ ms: performance.now() - t0 })),
    catchError((error: unknown) => of({ ms: performance.now() - t0, error })),
  );
}

/** Adds `oslo-rx call` to `program`: calls a method once (its result on stdout) or N times (a latency summary). */
export function addCallCommand(program: Command, { io, action }: CommandContext): void {
  const command = program
    .command('call')
    .summary('call a method and print its result as JSON')
    .description(
      'Calls METHOD on a server of the topic and prints its result as JSON. A value that\nparses as JSON is taken as JSON (n=3 is a number, s=abc a string, o={"a":1} an object).\nWith --count N, makes N calls, C at a time, and prints a latency summary instead.\n\nexit status: 0 done, 1 the method raised ("ClassName: message" on stderr)\nor the call failed, 2 no reply in time, 64 bad usage',
    )
    .option('--count <N>', 'make N calls and print a latency summary (p50, p99, calls/s)', integer(1), 1)
    .option('--concurrency <C>', 'calls in flight at once with --count', integer(1, 10_000), 1);
  withRpcCommandLine(command, 'how long to wait for the reply (default: 60)').addHelpText(
    'after',
    examples([
      ['oslo-rx call --topic demo echo n=3 name=vm-1', 'prints {"n":3,"name":"vm-1"}'],
      ['oslo-rx call --topic demo --timeout 5 fail message=oops', '"ValueError: oops" on stderr, exit 1'],
      ['oslo-rx call --topic demo --count 1000 --concurrency 10 ping', 'a smoke benchmark: calls/s, p50 and p99 latency'],
      ['oslo-rx call --topic demo --config rpc_response_timeout=5 ping', 'an AMQP option by its oslo name'],
    ]),
  );
  command.action(
    action(async (method: string, pairs: string[], options: CallOptions) => {
      const target = targetOf(options, options.server);
      const args = rpcArguments(pairs, options.args);
      const { transport } = transportOf(options);
      try {
        const client = new RpcClient(transport, target, options.timeout === undefined ? {} : { timeoutMs: options.timeout });
        if (options.count === 1) {
          const result = await firstValueFrom(client.call(method, args));
          io.stdout.write(`${JSON.stringify(result ?? null)}\n`);
          return ExitCode.ok;
        }
        // the first call opens the connection and the reply link; it is not measured
        await firstValueFrom(client.call(method, args));
        const t0 = performance.now();
        const runs = await lastValueFrom(range(0, options.count).pipe(mergeMap(() => timed(client.call(method, args)), options.concurrency), toArray()));
        const failures = runs.filter((r) => 'error' in r);
        io.stdout.write(`${latencyLine(summarizeLatencies(runs.map((r) => r.ms), failures.length, performance.now() - t0), 'call', options.concurrency)}\n`);
        if (failures.length > 0) throw failures[0]!.error;
        return ExitCode.ok;
      } finally {
        await transport.close();
      }
    }),
  );
}
