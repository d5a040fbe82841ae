/**
 * The `oslo-rx` command as its own process: the bin that `npm ci` builds, exit codes as a
 * shell sees them, and the progress bar, which only a terminal gets (here a pseudo-terminal
 * from util-linux's `script`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'chai';
import type { EmbeddedIntermediary } from '../../lib/testing';
import { startBroker } from '../../lib/testing';
import { nodeScript, runProcess, runScript } from '../support/node-script';
import { requireProgram } from '../support/peers';
import { uniqueName } from '../support/wait';

const ROOT = resolve(__dirname, '..', '..');
const MAIN = 'lib/cli/main.ts';
const RUN_MS = 60_000;

/** Quotes `arg` for a POSIX shell. */
const shellQuote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

describe('the oslo-rx process', function () {
  this.timeout(RUN_MS + 10_000);
  let broker: EmbeddedIntermediary;
  before(async () => {
    broker = await startBroker();
  });
  after(() => broker.stop());

  it("package.json's bin is built by npm ci (prepare) and prints the usage", async () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
    expect(pkg.scripts.prepare).to.equal('npm run build');
    const bin = resolve(ROOT, pkg.bin['oslo-rx']!);
    expect(existsSync(bin), `${bin} is missing: npm ci (or npm run build) builds it`).to.equal(true);
    const r = await runProcess(process.execPath, [bin, '--help'], RUN_MS);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.match(/^Usage: oslo-rx /);
  });

  it('exits 64 with the command usage on stderr for a wrong flag', async () => {
    const r = await runScript(MAIN, ['listen', '--frobnicate'], RUN_MS);
    expect(r.code).to.equal(64);
    expect(r.out).to.equal('');
    expect(r.err).to.include("error: unknown option '--frobnicate'").and.include('Usage: oslo-rx listen [options]');
  });

  it('notify --count shows no progress bar when stderr is not a terminal, only the rate', async () => {
    const r = await runScript(MAIN, ['notify', '--url', broker.url, '--topic', uniqueName('bar'), '--event', 'e', '--count', '300'], RUN_MS);
    expect(r.code, r.err).to.equal(0);
    expect(r.err).to.match(/^300 info e notifications sent to \S+ in [\d.]+ s \(\d+\/s\)\n$/);
  });

  it('notify --count shows a progress bar on a terminal, then the rate', async function () {
    const script = requireProgram(this, 'script', 'OSLO_RX_SCRIPT', 'apt-get install util-linux');
    const [node, args] = nodeScript(MAIN, ['notify', '--url', broker.url, '--topic', uniqueName('bar'), '--event', 'e', '--count', '3000']);
    const command = [node, ...args].map(shellQuote).join(' ');
    const r = await runProcess(script, ['-qec', command, '/dev/null'], RUN_MS, { ...process.env, COLUMNS: '100', TERM: 'xterm' });
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.match(/sending \[[^\]]*\] \d+% \d+\/3000/); // the bar (the terminal merges stdout and stderr)
    expect(r.out).to.match(/3000 info e notifications sent to \S+ in [\d.]+ s \(\d+\/s\)/);
  });
});
