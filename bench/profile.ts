/**
 * Where the CPU goes in one RPC contender: its client and server children run with
 * `--cpu-prof`, and each profile's self time is summed by package (and by oslo-rx file).
 *
 *   npx tsx bench/profile.ts [--contender oslo|raw] [--calls 20000] [--concurrency 10]
 *                            [--intermediary proton|embedded] [--top 12] [--out DIR]
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BenchChild } from './bench-child';
import { buildDist } from './build-dist';
import { startIntermediary } from './intermediaries';
import type { WindowResult } from './closed-loop';

const { values } = parseArgs({
  options: {
    contender: { type: 'string', default: 'oslo' },
    calls: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '10' },
    intermediary: { type: 'string', default: 'proton' },
    top: { type: 'string', default: '12' },
    out: { type: 'string' },
    'base-port': { type: 'string', default: '27990' },
  },
});

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** What a sample's function is counted under: its package, an oslo-rx file, or a Node/V8 bucket. */
function bucketOf(frame: ProfileNode['callFrame']): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(frame.url);
  if (pkg) return pkg[1];
  const own = /\/((?:lib|dist)\/.+)$/.exec(frame.url);
  if (own) return own[1];
  if (frame.url.startsWith('node:')) return 'node internals';
  return frame.functionName ? `(${frame.functionName.replace(/[()]/g, '')})` : '(native)';
}

/** Self time in ms by bucket, idle excluded, largest first. */
function selfTime(profile: CpuProfile): [string, number][] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const bucket = bucketOf(byId.get(id)!.callFrame);
    if (bucket === '(idle)') return;
    totals.set(bucket, (totals.get(bucket) ?? 0) + profile.timeDeltas[i] / 1000);
  });
  return [...totals].sort((a, b) => b[1] - a[1]);
}

function report(what: string, dir: string, calls: number, top: number): void {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${dir}`);
  const rows = selfTime(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
  const busy = rows.reduce((n, [, ms]) => n + ms, 0);
  console.log(`\n${what}: ${((busy * 1000) / calls).toFixed(0)} µs busy per measured call (the whole process life, warm-up included)`);
  for (const [bucket, ms] of rows.slice(0, top)) console.log(`  ${((100 * ms) / busy).toFixed(1).padStart(5)}%  ${bucket}`);
}

async function main(): Promise<void> {
  const oslo = values.contender === 'oslo';
  buildDist();
  const calls = Number(values.calls);
  const concurrency = Number(values.concurrency);
  const out = values.out ?? mkdtempSync(join(tmpdir(), 'oslo-rx-profile-'));
  const intermediary = await startIntermediary(values.intermediary!, Number(values['base-port']));
  const topic = `profile-${Date.now()}`;
  const options = { url: intermediary.url, topic, preset: intermediary.preset };
  const prof = (role: string) => ['--cpu-prof', `--cpu-prof-dir=${join(out, role)}`];
  const server = await BenchChild.node('server', oslo ? 'oslo-server' : 'raw-server', options, prof('server'));
  const client = await BenchChild.node('client', oslo ? 'oslo-client' : 'raw-client', options, prof('client'));
  try {
    await client.request('rpc', { count: Math.min(2000, calls), concurrency });
    const r = await client.request<WindowResult>('rpc', { count: calls, concurrency });
    console.log(`${values.contender} through ${intermediary.description}, ${concurrency} in flight: ${r.perSecond.toFixed(0)} calls/s, client CPU ${(r.cpuMicros / r.count).toFixed(0)} µs/call`);
  } finally {
    await client.stop();
    await server.stop();
    await intermediary.stop();
  }
  const total = calls + Math.min(2000, calls);
  report('client', join(out, 'client'), total, Number(values.top));
  report('server', join(out, 'server'), total, Number(values.top));
  console.log(`\nprofiles in ${out} (open them in Chrome DevTools)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
