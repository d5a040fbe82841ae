/**
 * The `oslo-rx` command, run in-process against the embedded intermediary.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Subject, firstValueFrom, startWith, timer } from 'rxjs';
import { createTransport } from '../../lib';
import { type EmbeddedIntermediary, startEmbeddedIntermediary } from '../../lib/testing';
import type { CliIo } from '../../lib/cli/cli-io';
import { runCli } from '../../lib/cli/run-cli';
import { Command } from 'commander';
import { addBenchCommand, benchNeeds } from '../../lib/cli/bench-command';
import { commandContext } from '../../lib/cli/command-action';
import { first, uniqueName, within } from '../support/wait';
import { tlsPath } from '../support/tls-files';

/** Output captured from one command, and the means to stop it. */
class Captured implements CliIo {
  out = '';
  err = '';
  private readonly writes = new Subject<void>();
  private readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  readonly stdout = { write: (text: string) => this.append('out', text) };
  readonly stderr = { write: (text: string) => this.append('err', text) };

  private append(stream: 'out' | 'err', text: string): boolean {
    this[stream] += text;
    this.writes.next();
    return true;
  }

  /** Waits until `stream` matches `pattern`, or holds `times` matches of it. */
  async waitFor(stream: 'out' | 'err', pattern: RegExp, what: string, ms = 15_000, times = 1): Promise<void> {
    const global = new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`);
    await first(this.writes.pipe(startWith(undefined)), what, ms, () => (this[stream].match(global)?.length ?? 0) >= times);
  }

  /** Stops a long-running command, as SIGINT would. */
  stop(): void {
    this.controller.abort();
  }
}

/** A finished command: its exit code and output. */
interface Result {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Every subcommand. */
const COMMANDS = ['broker', 'serve', 'call', 'cast', 'notify', 'listen', 'bench'] as const;

/** Every output of the suite, to check that no password ever appears. */
const outputs: Captured[] = [];

/** Starts `oslo-rx ...argv`; `done` resolves with its exit code. */
function start(argv: string[]): { io: Captured; done: Promise<number> } {
  const io = new Captured();
  outputs.push(io);
  return { io, done: runCli(argv, io) };
}

/** Runs `oslo-rx ...argv` to its end (bounded). */
async function run(argv: string[], ms = 20_000): Promise<Result> {
  const { io, done } = start(argv);
  const code = await within(done, `oslo-rx ${argv.join(' ')}`, ms);
  return { code, out: io.out, err: io.err };
}

/** A running `oslo-rx serve` on `topic`, proven to answer. */
async function serve(url: string, topic: string, extra: string[] = []): Promise<{ io: Captured; done: Promise<number> }> {
  const server = start(['serve', '--url', url, '--topic', topic, '--server', 's1', ...extra]);
  const ping = await run(['call', '--url', url, '--topic', topic, '--timeout', '15', ...extra, 'ping'], 20_000);
  expect(ping, ping.err).to.deep.include({ code: 0, out: '"pong"\n' });
  return server;
}

/** Stops a running command and returns its exit code. */
async function stop(command: { io: Captured; done: Promise<number> }): Promise<number> {
  command.io.stop();
  return within(command.done, 'the command to stop');
}

describe('the oslo-rx command', function () {
  this.timeout(60_000);

  describe('usage', () => {
    it('prints its usage for --help, -h and help, and exits 0', async () => {
      for (const argv of [['--help'], ['-h'], ['help']]) {
        const r = await run(argv);
        expect(r.code).to.equal(0);
        expect(r.out).to.match(/^Usage: oslo-rx \[options\] \[command\]/);
        for (const name of COMMANDS) expect(r.out).to.match(new RegExp(`\\n  ${name} `));
        expect(r.out).to.include('Examples:');
        expect(r.err).to.equal('');
      }
    });

    it("prints each command's usage, with examples, for <command> --help and help <command>", async () => {
      for (const name of COMMANDS) {
        for (const argv of [[name, '--help'], ['help', name]]) {
          const r = await run(argv);
          expect(r.code, argv.join(' ')).to.equal(0);
          expect(r.out).to.match(new RegExp(`^Usage: oslo-rx ${name} `));
          expect(r.out).to.match(new RegExp(`Examples:\\n  \\$ oslo-rx ${name}`));
          if (name !== 'broker' && name !== 'bench') expect(r.out, name).to.include('--config <KEY=VALUE>').and.include('--url <URL>');
        }
      }
    });

    it('exits 64 with the usage on stderr for no command and an unknown command', async () => {
      for (const [argv, says] of [
        [[], 'no command given'],
        [['frobnicate'], "unknown command 'frobnicate'"],
      ] as const) {
        const r = await run([...argv]);
        expect(r.code).to.equal(64);
        expect(r.out).to.equal('');
        expect(r.err).to.include(says).and.include('Usage: oslo-rx [options] [command]');
      }
    });

    it("exits 64 with the command's usage for a bad option or value", async () => {
      const cases: [string[], string][] = [
        [['call', 'echo'], '--topic is required'],
        [['call', '--topic', 't'], "missing required argument 'METHOD'"],
        [['call', '--topic', 't', '--bogus', 'echo'], "unknown option '--bogus'"],
        [['call', '--topic', 't', '--timeout', 'soon', 'echo'], "option '--timeout <SECONDS>' argument 'soon' is invalid. expected a positive number"],
        [['call', '--topic', 't', 'echo', 'not-a-pair'], 'arguments are key=value'],
        [['call', '--topic', 't', '--args', '[1]', 'echo'], 'expected a JSON object'],
        [['call', '--topic', 't', '--version', 'two', 'echo'], '--version expects major.minor'],
        [['call', '--topic', 't', '--url', 'http://127.0.0.1:1', 'echo'], 'http'],
        [['call', '--topic', 't', '--count', '0', 'echo'], "option '--count <N>' argument '0' is invalid"],
        [['call', '--topic', 't', '--config', 'idle_timeout', 'soon', 'echo'], "--config: Invalid option idle_timeout = 'soon': expected an integer >= 0 (seconds)"],
        [['call', '--topic', 't', '--config', 'amqp_no_such=1', 'echo'], '--config: unknown AMQP option "amqp_no_such"'],
        [['call', '--topic', 't', 'echo', '--config', 'justakey'], '--config expects KEY VALUE or KEY=VALUE, got "justakey"'],
        [['cast', '--topic', 't', '--fanout=yes', 'ping'], "unknown option '--fanout=yes'"],
        [['serve', '--topic', 't'], '--server is required'],
        [['serve', '--topic', 't', '--server', 'a', '--server', 'b', '--count', '2'], '--count takes at most one --server'],
        [['serve', '--topic', 't', '--server', 's', '--delay', 'long'], "option '--delay <MS>' argument 'long' is invalid"],
        [['serve', '--topic', 't', '--server', 's', '--config', 'rpc_server_credit=0'], '--config: Invalid option rpc_server_credit = \'0\''],
        [['notify', '--publisher', 'p'], '--event is required'],
        [['notify', '--event', 'e', '--priority', 'loud'], 'unknown priority "loud"'],
        [['notify', '--event', 'e', '--payload', '{oops'], '--payload expects JSON'],
        [['notify', '--event', 'e', '--payload', '{"n":{j}}'], '--payload expects JSON'],
        [['notify', '--event', 'e', '--driver', 'log'], "option '--driver <D>' argument 'log' is invalid"],
        [['notify', '--event', 'e', '--count', 'many'], "option '--count <N>' argument 'many' is invalid"],
        [['listen', '--count', '0'], "option '--count <N>' argument '0' is invalid"],
        [['listen', '--priority', 'loud'], 'unknown priority "loud"'],
        [['listen', '--event', '(unclosed'], "option '--event <REGEX>' argument '(unclosed' is invalid"],
        [['listen', '--batch', '0'], "option '--batch <N>' argument '0' is invalid"],
        [['listen', '--pretty', '--json'], "option '--pretty' cannot be used with option '--json'"],
        [['broker', '--mode', 'queue'], "option '--mode <MODE>' argument 'queue' is invalid"],
        [['broker', '--port', '70000'], "option '--port <N>' argument '70000' is invalid"],
        [['bench', '--runs', 'x'], "option '--runs <N>' argument 'x' is invalid"],
      ];
      for (const [argv, says] of cases) {
        const r = await run(argv);
        expect(r.code, `${argv.join(' ')}: ${r.err}`).to.equal(64);
        expect(r.err, argv.join(' ')).to.include(says).and.include(`Usage: oslo-rx ${argv[0]} `);
        expect(r.out).to.equal('');
      }
    });

    it('never shows the value given to an unknown --config key (it may be a misspelt password)', async () => {
      const r = await run(['call', '--topic', 't', '--config', 'ssl_key_pasword', 'hunter2', 'echo']);
      expect(r.code).to.equal(64);
      expect(r.err).to.include('unknown AMQP option "ssl_key_pasword"').and.not.include('hunter2');
    });
  });

  describe('bench', () => {
    it('says what it needs and exits 69 where there is no benchmark suite', async () => {
      const root = mkdtempSync(join(tmpdir(), 'oslo-rx-no-bench-'));
      try {
        const io = new Captured();
        const context = commandContext(io);
        const program = new Command('oslo-rx').exitOverride();
        addBenchCommand(program, context, root);
        await program.parseAsync(['bench'], { from: 'user' });
        expect(context.exitCode).to.equal(69);
        expect(io.err).to.include('oslo-rx bench needs a checkout of oslo-rx').and.include('bench/run.ts').and.include('tsx');
        expect(benchNeeds(process.cwd())).to.deep.equal([]);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });

    it('runs the benchmark suite on an embedded broker and writes its results', async function () {
      // every contender's client and server is a process of its own: a few seconds of start-up each on a loaded machine
      this.timeout(200_000);
      const out = mkdtempSync(join(tmpdir(), 'oslo-rx-bench-'));
      const broker = await startEmbeddedIntermediary();
      try {
        const r = await run(['bench', '--url', broker.url, '--calls', '30', '--notifications', '50', '--runs', '1', '--out', out], 190_000);
        expect(r.code, r.err).to.equal(0);
        expect(r.out).to.include('| 1 | oslo-rx |').and.include('| 100 | raw rhea-promise |').and.include('| oslo-rx notification |');
        expect(readdirSync(out).filter((f) => f.endsWith('.json'))).to.have.length(1);
        expect(readdirSync(out)).to.include.members(['RESULTS.md', 'calls-per-second.svg']);
      } finally {
        await broker.stop();
        rmSync(out, { recursive: true, force: true });
      }
    });
  });

  describe('broker', () => {
    for (const mode of ['broker', 'router'] as const) {
      it(`runs the embedded ${mode}, prints its URL and stops on a signal`, async () => {
        const broker = start(['broker', '--mode', mode, '--port', '0']);
        await broker.io.waitFor('out', /^amqp:\/\/127\.0\.0\.1:\d+\n/, 'the broker URL');
        const url = broker.io.out.trim();
        const transport = createTransport(url);
        try {
          await within(transport.ready(), 'a connection to the broker');
          const open = await first(transport.state$, 'an open connection', 10_000, (s) => s.state === 'open');
          expect(open).to.include({ state: 'open', addressing: mode === 'router' ? 'routable' : 'legacy' });
        } finally {
          await transport.close();
          expect(process.emit('SIGTERM', 'SIGTERM')).to.equal(true); // the command's handler
        }
        expect(await within(broker.done, 'the broker to stop')).to.equal(0);
        expect(broker.io.err).to.include(`SIGTERM: embedded ${mode} stopped`);
        expect(process.listenerCount('SIGTERM')).to.equal(0);
      });
    }

    it('takes TLS and SASL flags: amqps://, client certificates, PLAIN users from a file, EXTERNAL', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'oslo-rx-cli-'));
      const users = join(dir, 'users.txt');
      writeFileSync(users, '# name:password\nalice:cli p@ss\n');
      const tls = ['--tls-cert', tlsPath('server.pem'), '--tls-key', tlsPath('server.key'), '--tls-client-ca', tlsPath('ca.pem'), '--tls-client-cert', 'optional'];
      const broker = start(['broker', '--port', '0', ...tls, '--users', users, '--sasl-mechanisms', 'PLAIN EXTERNAL']);
      await broker.io.waitFor('out', /^amqps:\/\/127\.0\.0\.1:\d+\n/, 'the broker URL');
      const hostPort = broker.io.out.trim().slice('amqps://'.length);
      const ca = { sslCaFile: tlsPath('ca.pem') };
      const opened = async (url: string, options: Parameters<typeof createTransport>[1]) => {
        const t = createTransport(url, options);
        try {
          return await within(t.ready().then(() => 'open', (e: unknown) => String(e)), 'the connection to open or fail');
        } finally {
          await t.close();
        }
      };
      try {
        expect(await opened(`amqps://alice:${encodeURIComponent('cli p@ss')}@${hostPort}`, ca)).to.equal('open');
        expect(await opened(`amqps://alice:wrong@${hostPort}`, ca)).to.match(/^AuthenticationFailed/);
        expect(await opened(`amqps://${hostPort}`, { ...ca, sslCertFile: tlsPath('client.pem'), sslKeyFile: tlsPath('client.key'), saslMechanisms: 'EXTERNAL' })).to.equal('open');
      } finally {
        expect(process.emit('SIGTERM', 'SIGTERM')).to.equal(true);
        expect(await within(broker.done, 'the broker to stop')).to.equal(0);
        rmSync(dir, { recursive: true, force: true });
      }
      for (const [argv, message] of [
        [['broker', '--tls-key', tlsPath('server.key')], '--tls-cert and --tls-key go together'],
        [['broker', '--tls-client-ca', tlsPath('ca.pem')], '--tls-client-ca needs --tls-cert and --tls-key'],
        [['broker', '--sasl-mechanisms', 'GSSAPI'], '--sasl-mechanisms expects names among'],
        [['broker', '--users', '/nonexistent/users'], '--users: cannot read'],
      ] as const) {
        const r = await run([...argv]);
        expect(r.code, argv.join(' ')).to.equal(64);
        expect(r.err).to.include(message);
      }
    });

    it('exits 1 when the port is taken', async () => {
      const taken = await startEmbeddedIntermediary();
      try {
        const r = await run(['broker', '--port', String(taken.port)]);
        expect(r.code).to.equal(1);
        expect(r.err).to.include('EADDRINUSE');
      } finally {
        await taken.stop();
      }
    });
  });

  for (const mode of ['broker', 'router'] as const) {
    describe(`on the embedded ${mode}`, () => {
      let intermediary: EmbeddedIntermediary;
      let url: string;
      let topic: string;
      let server: { io: Captured; done: Promise<number> } | undefined;

      before(async () => {
        intermediary = await startEmbeddedIntermediary({ mode });
        url = intermediary.url;
      });
      beforeEach(() => {
        topic = uniqueName('cli');
      });
      afterEach(async () => {
        if (server) expect(await stop(server)).to.equal(0);
        server = undefined;
      });
      after(() => intermediary.stop());

      it('serves calls: echo with key=value and --args, the result as JSON on stdout', async () => {
        server = await serve(url, topic);
        expect(server.io.err).to.include(`serving topic=${topic} server=s1 on ${url}/`);
        const r = await run(['call', '--url', url, '--topic', topic, '--args', '{"base":true,"n":0}', 'echo', 'n=3', 'name=vm-1', 'tags=["a","b"]', 'quoted="42"', 'empty=']);
        expect(r).to.deep.equal({ code: 0, out: '{"base":true,"n":3,"name":"vm-1","tags":["a","b"],"quoted":"42","empty":""}\n', err: '' });
        await server.io.waitFor('out', /echo \{"base":true.*\} -> replied\n/, 'the echo request logged');
        expect(server.io.out.split('\n').filter((l) => / ping \{\} -> replied$/.test(l))).to.have.length(1);
      });

      it('calls one server by name, with a namespace and a version', async () => {
        server = await serve(url, topic, ['--namespace', 'ns', '--version', '1.3']);
        const r = await run(['call', '--url', url, '--topic', topic, '--server', 's1', '--namespace', 'ns', '--version', '1.2', 'sleep', 'seconds=0']);
        expect(r).to.deep.equal({ code: 0, out: '"slept"\n', err: '' });
        const newer = await run(['call', '--url', url, '--topic', topic, '--namespace', 'ns', '--version', '1.4', 'ping']);
        expect(newer.code).to.equal(1);
        expect(newer.err).to.equal('UnsupportedVersion: Endpoint does not support RPC version 1.4. Attempted method: ping\n');
      });

      it('exits 1 with "ValueError: message" on stderr when the method raises', async () => {
        server = await serve(url, topic);
        const r = await run(['call', '--url', url, '--topic', topic, 'fail', 'message=disk on fire']);
        expect(r).to.deep.equal({ code: 1, out: '', err: 'ValueError: disk on fire\n' });
        await server.io.waitFor('out', /fail \{"message":"disk on fire"\} -> failed: ValueError: disk on fire\n/, 'the failure logged');
        const missing = await run(['call', '--url', url, '--topic', topic, 'nosuch']);
        expect(missing).to.deep.equal({ code: 1, out: '', err: 'NoSuchMethod: Endpoint does not support RPC method nosuch\n' });
      });

      it('exits 2 when nobody serves the topic within --timeout', async () => {
        const t0 = Date.now();
        const r = await run(['call', '--url', url, '--topic', uniqueName('nobody'), '--timeout', '1', 'ping']);
        expect(r.code).to.equal(2);
        expect(r.out).to.equal('');
        expect(r.err).to.match(/^MessagingTimeout: /);
        expect(Date.now() - t0).to.be.lessThan(10_000);
      });

      it('casts, and the server runs the method; fanout casts reach it too', async () => {
        server = await serve(url, topic);
        const r = await run(['cast', '--url', url, '--topic', topic, 'echo', 'cast=1']);
        expect(r.code, r.err).to.equal(0);
        expect(r.out).to.equal('');
        await server.io.waitFor('out', /echo \{"cast":1\} -> handled\n/, 'the cast handled');
        const fanout = await run(['cast', '--url', url, '--topic', topic, '--fanout', 'echo', 'cast=2']);
        expect(fanout.code, fanout.err).to.equal(0);
        await server.io.waitFor('out', /echo \{"cast":2\} -> handled\n/, 'the fanout cast handled');
      });

      it('stops serving on SIGINT and on the abort signal, exiting 0', async () => {
        const running = await serve(url, topic);
        expect(process.emit('SIGINT', 'SIGINT')).to.equal(true);
        expect(await within(running.done, 'serve to stop on SIGINT')).to.equal(0);
        expect(process.listenerCount('SIGINT')).to.equal(0);
        const again = await serve(url, topic);
        expect(await stop(again)).to.equal(0);
      });

      it('answers a request in progress when stopped (drains for up to 2 s)', async () => {
        const running = await serve(url, topic);
        const before = intermediary.stats().delivered;
        const call = start(['call', '--url', url, '--topic', topic, '--timeout', '10', 'sleep', 'seconds=1']);
        for (const until = Date.now() + 10_000; intermediary.stats().delivered === before; ) {
          if (Date.now() > until) throw new Error('the sleep request never reached the server');
          await firstValueFrom(timer(20));
        }
        expect(await stop(running)).to.equal(0);
        expect(await within(call.done, 'the sleep call')).to.equal(0);
        expect(call.io.out).to.equal('"slept"\n');
      });

      it('notifies, and listen prints each notification as a JSON line until stopped', async () => {
        const listener = start(['listen', '--url', url, '--topic', topic]);
        await listener.io.waitFor('err', /listening to/, 'the listener to connect');
        expect(listener.io.err).to.equal(`listening to ${topic} (every priority) on ${url}/\n`);
        const info = await run(['notify', '--url', url, '--topic', topic, '--publisher', 'compute.host1', '--event', 'compute.instance.create.end', '--payload', '{"id":42}', '--context', '{"user_id":"u1","auth_token":"tok"}']);
        expect(info, info.err).to.deep.include({ code: 0, out: '' });
        const error = await run(['notify', '--url', url, '--topic', topic, '--publisher', 'compute.host1', '--priority', 'ERROR', '--event', 'compute.instance.delete.error', '--driver', 'messaging']);
        expect(error.code, error.err).to.equal(0);
        await listener.io.waitFor('out', /(.*\n){2}/, 'two notifications printed');
        expect(await stop(listener)).to.equal(0);
        const lines = listener.io.out.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
        expect(lines).to.have.length(2);
        const byEvent = Object.fromEntries(lines.map((n) => [n.eventType, n]));
        expect(byEvent['compute.instance.create.end']).to.deep.include({ priority: 'info', publisherId: 'compute.host1', payload: { id: 42 }, context: { user_id: 'u1' }, version: 2 });
        expect(byEvent['compute.instance.create.end'].metadata).to.have.keys('messageId', 'timestamp');
        expect(byEvent['compute.instance.delete.error']).to.deep.include({ priority: 'error', payload: {}, version: 1 });
      });

      it('listen --count N stops after N notifications and exits 0', async () => {
        const listener = start(['listen', '--url', url, '--topic', topic, '--count', '1']);
        const sent = start(['notify', '--url', url, '--topic', topic, '--event', 'only.one']);
        expect(await within(listener.done, 'listen --count 1 to end')).to.equal(0);
        expect(JSON.parse(listener.io.out)).to.deep.include({ priority: 'info', eventType: 'only.one' });
        expect(await within(sent.done, 'the notification'), sent.io.err).to.equal(0);
      });

      it('the notifier of the last notification a listen --count acks is told it was accepted', async () => {
        // The router must pass on an accept read just before the listener's close (see
        // intermediary-connection.ts), not report the delivery as lost.
        const listener = start(['listen', '--url', url, '--topic', topic, '--count', '1']);
        const sent = await run(['notify', '--url', url, '--topic', topic, '--event', 'last']);
        expect(sent.code, sent.err).to.equal(0);
        expect(await within(listener.done, 'listen --count 1 to end')).to.equal(0);
      });

      it('listens to the priorities asked for only', async () => {
        const listener = start(['listen', '--url', url, '--topic', topic, '--priority', 'warning']);
        await listener.io.waitFor('err', /listening to/, 'the listener to connect');
        expect(listener.io.err).to.include(`listening to ${topic} (warn) on`);
        // a broker keeps the info notification for a listener that never comes; a router gives up on it
        const info = await run(['notify', '--url', url, '--topic', topic, '--event', 'ignored', '--timeout', '3']);
        expect(info.code, info.err).to.equal(mode === 'router' ? 2 : 0);
        const warn = await run(['notify', '--url', url, '--topic', topic, '--priority', 'warn', '--event', 'heard']);
        expect(warn.code, warn.err).to.equal(0);
        await listener.io.waitFor('out', /\n/, 'the warn notification printed');
        expect(await stop(listener)).to.equal(0);
        expect(listener.io.out.trimEnd().split('\n').map((l) => JSON.parse(l).eventType)).to.deep.equal(['heard']);
      });

      it('serve --count N runs N servers on one connection: calls go round them, a fanout cast reaches each', async () => {
        server = start(['serve', '--url', url, '--topic', topic, '--count', '3']);
        await server.io.waitFor('err', /serving topic=\S+ server=server-1,server-2,server-3 /, 'three servers');
        const r = await run(['call', '--url', url, '--topic', topic, '--timeout', '15', '--count', '30', '--concurrency', '5', 'ping'], 30_000);
        expect(r.code, r.err).to.equal(0);
        expect(r.out).to.match(/^30 calls at concurrency 5: \d+ calls\/s, p50 [\d.]+ ms, p99 [\d.]+ ms, 0 failed\n$/);
        await server.io.waitFor('out', / ping \{\} -> replied\n/, '31 pings served', 15_000, 31);
        const servedBy = new Set([...server.io.out.matchAll(/ (server-\d) ping /g)].map((m) => m[1]));
        expect(servedBy.size, server.io.out).to.be.greaterThan(1);
        const fanout = await run(['cast', '--url', url, '--topic', topic, '--fanout', 'echo', 'to=all']);
        expect(fanout.code, fanout.err).to.equal(0);
        await server.io.waitFor('out', /echo \{"to":"all"\} -> handled\n/, 'the fanout cast handled by all three', 15_000, 3);
        expect([...server.io.out.matchAll(/ (server-\d) echo \{"to":"all"\}/g)].map((m) => m[1]).sort()).to.deep.equal(['server-1', 'server-2', 'server-3']);
      });

      it('serve --delay MS makes every method work MS milliseconds', async () => {
        server = start(['serve', '--url', url, '--topic', topic, '--server', 's1', '--delay', '400']);
        await server.io.waitFor('err', /serving topic=/, 'the server');
        const t0 = Date.now();
        const r = await run(['call', '--url', url, '--topic', topic, 'echo', 'x=1']);
        expect(r).to.deep.equal({ code: 0, out: '{"x":1}\n', err: '' });
        expect(Date.now() - t0).to.be.at.least(400);
      });

      it('--config sets AMQP options by oslo name: rpc_response_timeout 1 ends a call to nobody in about a second', async () => {
        const t0 = Date.now();
        const r = await run(['call', '--url', url, '--topic', uniqueName('nobody'), '--config', 'rpc_response_timeout', '1', '--config', 'amqp_idle_timeout=30', 'ping']);
        expect(r.code, r.err).to.equal(2);
        expect(r.err).to.match(/^MessagingTimeout: /);
        expect(Date.now() - t0).to.be.lessThan(6_000);
      });

      it('notify --count N sends N notifications numbering {i} in the payload, then prints the rate', async () => {
        const listener = start(['listen', '--url', url, '--topic', topic, '--count', '5', '--pool', 'p1']);
        await listener.io.waitFor('err', /listening to/, 'the listener to connect');
        expect(listener.io.err).to.include(' in pool p1 on ');
        const sent = await run(['notify', '--url', url, '--topic', topic, '--event', 'numbered', '--count', '5', '--payload', '{"n":{i},"label":"n{i}"}']);
        expect(sent.code, sent.err).to.equal(0);
        expect(sent.err).to.match(/^5 info numbered notifications sent to \S+ in [\d.]+ s \(\d+\/s\)\n$/); // no progress bar: not a terminal
        expect(await within(listener.done, 'listen --count 5')).to.equal(0);
        const payloads = listener.io.out.trimEnd().split('\n').map((l) => JSON.parse(l).payload as { n: number; label: string });
        expect(payloads.map((p) => p.n).sort()).to.deep.equal([1, 2, 3, 4, 5]);
        expect(payloads.every((p) => p.label === `n${p.n}`)).to.equal(true);
      });

      it('listen --event and --publisher keep only the matching notifications (oslo\'s NotificationFilter)', async () => {
        const listener = start(['listen', '--url', url, '--topic', topic, '--event', 'compute\\.', '--publisher', 'host1', '--count', '1']);
        await listener.io.waitFor('err', /listening to/, 'the listener to connect');
        for (const [event, publisher] of [['image.upload', 'host1'], ['compute.start', 'host2'], ['xcompute.start', 'host1'], ['compute.start', 'host1.zone']]) {
          const r = await run(['notify', '--url', url, '--topic', topic, '--event', event, '--publisher', publisher]);
          expect(r.code, r.err).to.equal(0);
        }
        expect(await within(listener.done, 'listen --count 1')).to.equal(0);
        expect(JSON.parse(listener.io.out)).to.deep.include({ eventType: 'compute.start', publisherId: 'host1.zone' });
      });

      it('listen --batch N --batch-ms MS prints one JSON array per batch', async () => {
        const listener = start(['listen', '--url', url, '--topic', topic, '--batch', '3', '--batch-ms', '300', '--count', '5']);
        await listener.io.waitFor('err', /listening to/, 'the listener to connect');
        const sent = await run(['notify', '--url', url, '--topic', topic, '--event', 'batched', '--count', '5', '--payload', '{"n":{i}}']);
        expect(sent.code, sent.err).to.equal(0);
        expect(await within(listener.done, 'listen --batch to end')).to.equal(0);
        const batches = listener.io.out.trimEnd().split('\n').map((l) => JSON.parse(l) as { payload: { n: number } }[]);
        expect(batches.every((b) => Array.isArray(b) && b.length >= 1 && b.length <= 3)).to.equal(true);
        expect(batches.flat().map((n) => n.payload.n).sort()).to.deep.equal([1, 2, 3, 4, 5]);
      });

      it('listen --pretty prints one line for people per notification', async () => {
        const listener = start(['listen', '--url', url, '--topic', topic, '--pretty', '--count', '1']);
        await listener.io.waitFor('err', /listening to/, 'the listener to connect');
        const r = await run(['notify', '--url', url, '--topic', topic, '--event', 'compute.instance.create.end', '--publisher', 'compute.host1', '--priority', 'warn', '--payload', '{"id":42}']);
        expect(r.code, r.err).to.equal(0);
        expect(await within(listener.done, 'listen --pretty')).to.equal(0);
        expect(listener.io.out).to.match(/^\d{4}-\d\d-\d\d[ T][\d:.]+\S* WARN     compute\.host1 compute\.instance\.create\.end \{"id":42\}\n$/);
      });

      it('stops listening on the abort signal, exiting 0', async () => {
        const listener = start(['listen', '--url', url, '--topic', topic]);
        await listener.io.waitFor('err', /listening to/, 'the listener to connect');
        expect(await stop(listener)).to.equal(0);
        expect(listener.io.out).to.equal('');
      });
    });
  }

  describe('passwords', () => {
    const password = 'pa55-w0rd-never-shown';
    let intermediary: EmbeddedIntermediary;
    before(async () => {
      intermediary = await startEmbeddedIntermediary({ users: { cli: password } });
    });
    after(() => intermediary.stop());

    it('never appear in any output, even when the login fails', async () => {
      const url = `amqp://cli:${password}@127.0.0.1:${intermediary.port}`;
      const topic = uniqueName('secret');
      const server = await serve(url, topic);
      expect(server.io.err).to.include(`serving topic=${topic} server=s1 on amqp://cli:****@127.0.0.1:${intermediary.port}/`);
      expect((await run(['call', '--url', url, '--topic', topic, 'echo', `password=${password.slice(0, 4)}`])).code).to.equal(0);
      expect((await run(['call', '--url', url, '--topic', topic, 'fail', 'message=no'])).code).to.equal(1);
      expect((await run(['cast', '--url', url, '--topic', topic, 'ping'])).code).to.equal(0);
      const listener = start(['listen', '--url', url, '--topic', topic, '--count', '1']);
      expect((await run(['notify', '--url', url, '--topic', topic, '--event', 'e'])).code).to.equal(0);
      expect(await within(listener.done, 'the listener')).to.equal(0);
      expect(await stop(server)).to.equal(0);

      const wrong = `amqp://cli:${password}-wrong@127.0.0.1:${intermediary.port}`;
      const refused = await run(['call', '--url', wrong, '--topic', topic, '--timeout', '5', 'ping']);
      expect(refused.code).to.equal(1);
      expect(refused.err).to.match(/^AuthenticationFailed: /);
      const refusedServer = await run(['serve', '--url', wrong, '--topic', topic, '--server', 's2']);
      expect(refusedServer.code).to.equal(1);
      expect(refusedServer.err).to.match(/^AuthenticationFailed: /);
      const badUrl = await run(['call', '--url', `amqp://cli:${password}@127.0.0.1:notaport`, '--topic', topic, 'ping']);
      expect(badUrl.code).to.equal(64);

      expect(outputs.length).to.be.greaterThan(8);
      for (const o of outputs) {
        expect(o.out + o.err).to.not.include(password);
      }
    });
  });

  describe('afterwards', () => {
    it('leaves no signal handlers behind', () => {
      expect(process.listenerCount('SIGINT') + process.listenerCount('SIGTERM')).to.equal(0);
    });
  });
});
