/**
 * `oslo-rx cast`: one RPC cast.
 * @module
 */
import { lastValueFrom } from 'rxjs';
import { RpcClient, createTransport } from '../index';
import { type Command, ExitCode } from './cli-io';
import { URL_HELP } from './command-options';
import { RPC_OPTIONS_HELP, parseRpcCommandLine } from './rpc-command-line';
import { runCommand, showHelp } from './run-command';
import { withDeadline } from './with-deadline';

const USAGE = `usage: oslo-rx cast --topic T [options] [--fanout] METHOD [key=value ...]

Sends METHOD to one server of the topic (or to every one with --fanout) without
waiting for a result; exits once the intermediary has the message.

${RPC_OPTIONS_HELP} for the intermediary (default: 30)
  --fanout            send to every server of the topic
${URL_HELP}

exit status: 0 sent, 1 refused or failed, 2 not acknowledged in time, 64 bad usage
`;

/** `oslo-rx cast`: sends a method call without waiting for its result. */
export const castCommand: Command = (argv, io) =>
  runCommand('cast', USAGE, io, async () => {
    const line = parseRpcCommandLine(argv, true);
    if (line.help) return showHelp(io, USAGE);
    const transport = createTransport(line.url);
    try {
      const client = new RpcClient(transport, { ...line.target, fanout: line.fanout });
      await lastValueFrom(client.cast(line.method, line.args).pipe(withDeadline(line.timeoutMs, `cast "${line.method}"`)), { defaultValue: undefined });
      io.stderr.write(`cast "${line.method}" sent${line.fanout ? ' to every server' : ''}\n`);
      return ExitCode.ok;
    } finally {
      await transport.close();
    }
  });
