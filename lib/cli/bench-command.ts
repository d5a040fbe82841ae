/**
 * `oslo-rx bench`: the benchmark suite (bench/run.ts), where a checkout has it.
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { type CliIo, ExitCode } from './cli-io';
import type { CommandContext } from './command-action';
import { examples, integer } from './command-options';
import { stopSignal } from './stop-signal';

/** The package's root: two levels above this file (lib/cli or dist/cli). */
const PACKAGE_ROOT = resolve(__dirname, '..', '..');

/** The options of `oslo-rx bench`, passed on to bench/run.ts. */
interface BenchOptions {
  readonly url?: string;
  readonly calls?: number;
  readonly notifications?: number;
  readonly runs?: number;
  readonly out?: string;
}

/** What the benchmarks need and is missing from `root`; empty when they can run. */
export function benchNeeds(root: string): string[] {
  const needs: string[] = [];
  if (!existsSync(join(root, 'bench', 'run.ts'))) needs.push('bench/run.ts (the benchmark suite is not part of the published package)');
  try {
    require.resolve('tsx', { paths: [root] });
  } catch {
    needs.push('tsx (a development dependency: run npm ci in the checkout)');
  }
  return needs;
}

/** Runs bench/run.ts in `root` with `args`, its output to `io`; resolves with its exit code. */
function runBench(root: string, args: readonly string[], io: CliIo): Promise<number> {
  const stop = stopSignal(io.signal);
  const child = spawn(process.execPath, ['--import', 'tsx', join('bench', 'run.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => io.stdout.write(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => io.stderr.write(chunk.toString()));
  void stop.stopped.then(() => child.kill('SIGTERM'));
  return new Promise<number>((resolveCode) => {
    child.on('error', (e) => {
      io.stderr.write(`oslo-rx bench: ${e.message}\n`);
      resolveCode(ExitCode.failure);
    });
    child.on('close', (code, signal) => resolveCode(code ?? (signal ? ExitCode.failure : ExitCode.ok)));
  }).finally(() => stop.dispose());
}

/** Adds `oslo-rx bench` to `program`: runs the benchmark suite, or says what it needs. */
export function addBenchCommand(program: Command, { io, action }: CommandContext, root = PACKAGE_ROOT): void {
  program
    .command('bench')
    .summary('run the benchmark suite (needs a checkout of oslo-rx)')
    .description(
      `Runs oslo-rx's benchmarks (bench/run.ts): RPC calls/s and p50/p99 latency at
concurrency 1, 10 and 100 beside raw rhea-promise on the same intermediary, and
notifications end to end; with --url, also the Python oslo.messaging peer when
Debian's python3-oslo.messaging is installed. Writes a JSON file and a Markdown table.
The suite and its runner (tsx) come with a checkout of oslo-rx, not with the published
package; without them the command says what is missing and exits 69.`,
    )
    .option('--url <URL>', 'the intermediary (default: an embedded broker in the process)')
    .option('--calls <N>', 'calls per run', integer(1))
    .option('--notifications <N>', 'notifications sent end to end', integer(1))
    .option('--runs <N>', 'runs per figure (the median is kept)', integer(1, 100))
    .option('--out <DIR>', 'where the results go (default: bench/results)')
    .addHelpText(
      'after',
      examples([
        ['oslo-rx bench', 'on an embedded broker'],
        ['oslo-rx bench --url amqp://127.0.0.1:5672 --calls 500 --runs 1', 'a quick run on a broker of yours'],
      ]),
    )
    .action(
      action(async (options: BenchOptions) => {
        const needs = benchNeeds(root);
        if (needs.length > 0) {
          io.stderr.write(
            `oslo-rx bench needs a checkout of oslo-rx (git clone, then npm ci) and is missing:\n${needs.map((n) => `  - ${n}\n`).join('')}` +
              `In a checkout, run: npx oslo-rx bench (or npm run bench)\n`,
          );
          return ExitCode.unavailable;
        }
        const args = Object.entries(options).flatMap(([name, value]) => (value === undefined ? [] : [`--${name}`, String(value)]));
        return runBench(root, args, io);
      }),
    );
}
