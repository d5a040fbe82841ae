/**
 * `oslo-rx broker`: the embedded intermediary as a process.
 * @module
 */
import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { type IntermediaryMode, type IntermediarySaslMechanism, type IntermediaryTlsOptions, startEmbeddedIntermediary } from '../testing';
import { ExitCode } from './cli-io';
import type { CommandContext } from './command-action';
import { examples, integer } from './command-options';
import { stopSignal } from './stop-signal';
import { UsageError } from './usage-error';

/** The options of `oslo-rx broker`, as commander parses them. */
interface BrokerOptions {
  readonly mode: IntermediaryMode;
  readonly port: number;
  readonly host: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly tlsKeyPasswordFile?: string;
  readonly tlsClientCa?: string;
  readonly tlsClientCert?: 'optional';
  readonly users?: string;
  readonly saslMechanisms?: string;
}

/**
 * The options of `oslo-rx broker`, one entry each: add a flag here (and read it in the
 * action) to extend the command.
 */
const BROKER_OPTIONS: readonly Option[] = [
  new Option('--mode <MODE>', 'broker: store and forward (legacy addresses); router: direct, like qpid-dispatch-router (routable addresses)')
    .choices(['broker', 'router'])
    .default('broker'),
  new Option('--port <N>', 'port to listen on, 0 for any free one').argParser(integer(0, 65535)).default(5672),
  new Option('--host <H>', 'address to listen on').default('127.0.0.1'),
  new Option('--tls-cert <FILE>', 'listen with TLS (amqps://): the server certificate, PEM'),
  new Option('--tls-key <FILE>', 'its private key, PEM'),
  new Option('--tls-key-password-file <FILE>', 'a file holding the password of an encrypted key'),
  new Option('--tls-client-ca <FILE>', 'CA of client certificates: clients must present one it signed (mutual TLS), and SASL EXTERNAL is offered'),
  new Option('--tls-client-cert <POLICY>', 'with --tls-client-ca: "optional" asks for a client certificate but accepts clients without one').choices(['optional']),
  new Option('--users <FILE>', 'SASL PLAIN users, one "name:password" a line; PLAIN then requires one of them (default: any credentials, or ANONYMOUS)'),
  new Option(
    '--sasl-mechanisms <LIST>',
    'mechanisms offered, among ANONYMOUS, PLAIN and EXTERNAL (default: PLAIN, plus ANONYMOUS without --users, plus EXTERNAL with --tls-client-ca)',
  ),
];

/** The contents of the file an option names; a file that cannot be read is a usage error. */
function readOption(file: string, option: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new UsageError(`${option}: cannot read ${file} (${(e as { code?: string }).code ?? String(e)})`);
  }
}

function tlsOptions(o: BrokerOptions): IntermediaryTlsOptions | undefined {
  if (o.tlsCert === undefined && o.tlsKey === undefined) {
    const stray = o.tlsKeyPasswordFile ? '--tls-key-password-file' : o.tlsClientCa ? '--tls-client-ca' : o.tlsClientCert ? '--tls-client-cert' : undefined;
    if (stray) throw new UsageError(`${stray} needs --tls-cert and --tls-key`);
    return undefined;
  }
  if (o.tlsCert === undefined || o.tlsKey === undefined) throw new UsageError('--tls-cert and --tls-key go together');
  if (o.tlsClientCert !== undefined && o.tlsClientCa === undefined) throw new UsageError('--tls-client-cert needs --tls-client-ca');
  return {
    cert: readOption(o.tlsCert, '--tls-cert'),
    key: readOption(o.tlsKey, '--tls-key'),
    ...(o.tlsKeyPasswordFile ? { passphrase: readOption(o.tlsKeyPasswordFile, '--tls-key-password-file').toString('utf8').replace(/\r?\n$/, '') } : {}),
    ...(o.tlsClientCa ? { ca: readOption(o.tlsClientCa, '--tls-client-ca'), requireClientCert: o.tlsClientCert !== 'optional' } : {}),
  };
}

/** `name:password` lines (blank lines and `#` comments skipped). */
function users(file: string | undefined): Record<string, string> | undefined {
  if (file === undefined) return undefined;
  const found: Record<string, string> = {};
  readOption(file, '--users')
    .toString('utf8')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (line.trim() === '' || line.trimStart().startsWith('#')) return;
      const colon = line.indexOf(':');
      // the line is not shown: it holds a password
      if (colon <= 0) throw new UsageError(`--users: line ${i + 1} of ${file} is not "name:password"`);
      found[line.slice(0, colon)] = line.slice(colon + 1);
    });
  if (Object.keys(found).length === 0) throw new UsageError(`--users: ${file} names no user`);
  return found;
}

function mechanisms(text: string | undefined): IntermediarySaslMechanism[] | undefined {
  if (text === undefined) return undefined;
  const names = text.split(/[\s,]+/).filter(Boolean).map((n) => n.toUpperCase());
  const bad = names.find((n) => n !== 'ANONYMOUS' && n !== 'PLAIN' && n !== 'EXTERNAL');
  if (bad !== undefined || names.length === 0) throw new UsageError(`--sasl-mechanisms expects names among ANONYMOUS, PLAIN, EXTERNAL, got "${text}"`);
  return names as IntermediarySaslMechanism[];
}

/** Adds `oslo-rx broker` to `program`: starts the embedded intermediary, prints its URL, stops on a signal. */
export function addBrokerCommand(program: Command, { io, action }: CommandContext): void {
  const command = program
    .command('broker')
    .summary('run the embedded AMQP 1.0 intermediary (a broker or a router)')
    .description(
      'Runs the embedded AMQP 1.0 intermediary (for development and tests, not production)\nand prints its URL; stops on SIGINT or SIGTERM.',
    )
    .addHelpText(
      'after',
      examples([
        ['oslo-rx broker', 'a broker on 127.0.0.1:5672'],
        ['oslo-rx broker --mode router --port 0', 'a router on any free port (its URL is printed)'],
        ['oslo-rx broker --port 5671 --tls-cert server.pem --tls-key server.key --tls-client-ca ca.pem --users users.txt', 'TLS, client certificates, PLAIN users and EXTERNAL'],
      ]),
    );
  for (const option of BROKER_OPTIONS) command.addOption(option);
  command.action(
    action(async (options: BrokerOptions) => {
      const { mode, port, host } = options;
      const tls = tlsOptions(options);
      const saslMechanisms = mechanisms(options.saslMechanisms);
      const userTable = users(options.users);
      const stop = stopSignal(io.signal);
      try {
        const intermediary = await startEmbeddedIntermediary({
          mode,
          port,
          host,
          ...(tls ? { tls } : {}),
          ...(saslMechanisms ? { saslMechanisms } : {}),
          ...(userTable ? { users: userTable } : {}),
        });
        io.stdout.write(`${intermediary.url}\n`);
        io.stderr.write(`embedded ${mode} listening; SIGINT or SIGTERM stops it\n`);
        const reason = await stop.stopped;
        await intermediary.stop();
        io.stderr.write(`${reason}: embedded ${mode} stopped\n`);
        return ExitCode.ok;
      } finally {
        stop.dispose();
      }
    }),
  );
}
