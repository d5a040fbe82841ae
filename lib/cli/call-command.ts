/**
 * `oslo-rx call`: one RPC call, its result on stdout.
 * @module
 */
import { firstValueFrom } from 'rxjs';
import { RpcClient, createTransport } from '../index';
import { type Command, ExitCode } from './cli-io';
import { URL_HELP } from './command-options';
import { RPC_OPTIONS_HELP, parseRpcCommandLine } from './rpc-command-line';
import { runCommand, showHelp } from './run-command';

const USAGE = `usage: oslo-rx call --topic T [options] METHOD [key=value ...]

Calls METHOD on a server of the topic and prints its result as JSON. A value that
parses as JSON is taken as JSON (n=3 is a number, s=abc a string, o={"a":1} an object).

${RPC_OPTIONS_HELP} for the reply (default: 60)
${URL_HELP}

exit status: 0 done, 1 the method raised ("ClassName: message" on stderr)
or the call failed, 2 no reply in time, 64 bad usage
`;

/** `oslo-rx call`: calls a method and prints its result as one line of JSON. */
export const callCommand: Command = (argv, io) =>
  runCommand('call', USAGE, io, async () => {
    const line = parseRpcCommandLine(argv, false);
    if (line.help) return showHelp(io, USAGE);
    const transport = createTransport(line.url);
    try {
      const client = new RpcClient(transport, line.target, line.timeoutMs === undefined ? {} : { timeoutMs: line.timeoutMs });
      const result = await firstValueFrom(client.call(line.method, line.args));
      io.stdout.write(`${JSON.stringify(result ?? null)}\n`);
      return ExitCode.ok;
    } finally {
      await transport.close();
    }
  });
