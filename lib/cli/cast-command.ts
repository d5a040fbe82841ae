/**
 * `oslo-rx cast`: one RPC cast.
 * @module
 */
import type { Command } from 'commander';
import { lastValueFrom } from 'rxjs';
import { RpcClient } from '../index';
import { ExitCode } from './cli-io';
import type { CommandContext } from './command-action';
import { examples, targetOf, transportOf } from './command-options';
import { type RpcOptions, rpcArguments, withRpcCommandLine } from './rpc-command-line';
import { withDeadline } from './with-deadline';

/** Adds `oslo-rx cast` to `program`: sends a method call without waiting for its result. */
export function addCastCommand(program: Command, { io, action }: CommandContext): void {
  const command = program
    .command('cast')
    .summary('send a method call without waiting for a result')
    .description(
      'Sends METHOD to one server of the topic (or to every one with --fanout) without\nwaiting for a result; exits once the intermediary has the message.\n\nexit status: 0 sent, 1 refused or failed, 2 not acknowledged in time, 64 bad usage',
    )
    .option('--fanout', 'send to every server of the topic');
  withRpcCommandLine(command, 'how long to wait for the intermediary (default: 30)').addHelpText(
    'after',
    examples([
      ['oslo-rx cast --topic demo ping', 'one server of topic demo gets ping()'],
      ['oslo-rx cast --topic demo --fanout ping', 'every server of topic demo gets it'],
    ]),
  );
  command.action(
    action(async (method: string, pairs: string[], options: RpcOptions & { fanout?: boolean }) => {
      const target = { ...targetOf(options, options.server), fanout: options.fanout === true };
      const args = rpcArguments(pairs, options.args);
      const { transport } = transportOf(options);
      try {
        const client = new RpcClient(transport, target);
        await lastValueFrom(client.cast(method, args).pipe(withDeadline(options.timeout, `cast "${method}"`)), { defaultValue: undefined });
        io.stderr.write(`cast "${method}" sent${target.fanout ? ' to every server' : ''}\n`);
        return ExitCode.ok;
      } finally {
        await transport.close();
      }
    }),
  );
}
