/** bench/RESULTS.md and the calls/s chart, from one run's results. */
import { CONTENDERS, type BenchResults, type Contender, type RpcFigure } from './results';
export { renderChart } from './svg-chart';

const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '–');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`;
const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? f2(a / b) : '–');

function cell(results: BenchResults, intermediary: string, contender: Contender, concurrency: number): RpcFigure | undefined {
  return results.rpc.find((r) => r.intermediary === intermediary && r.contender === contender && r.concurrency === concurrency);
}

function ratioTable(results: BenchResults, intermediary: string): string[] {
  const rows = [1, 10, 100].map((c) => {
    const o = cell(results, intermediary, 'oslo-rx', c);
    const r = cell(results, intermediary, 'raw rhea-promise', c);
    const p = cell(results, intermediary, 'Python oslo.messaging', c);
    return `| ${c} | ${ratio(o?.perSecond, r?.perSecond)} | ${ratio(o?.perSecond, p?.perSecond)} | ${ratio(o?.p99Ms, r?.p99Ms)} | ${ratio(o?.clientCpuMicrosPerCall, r?.clientCpuMicrosPerCall)} | ${ratio(o?.serverCpuMicrosPerCall, r?.serverCpuMicrosPerCall)} |`;
  });
  const python = results.rpc.filter((r) => r.intermediary === intermediary && r.contender === 'Python oslo.messaging');
  const best = python.length > 0 ? python.reduce((a, b) => (b.perSecond > a.perSecond ? b : a)) : undefined;
  const osloAtBest = best && cell(results, intermediary, 'oslo-rx', best.concurrency);
  const bestLine = best
    ? [`Python does best at ${best.concurrency} in flight (${f0(best.perSecond)} calls/s); oslo-rx there: ${f0(osloAtBest?.perSecond ?? NaN)} calls/s, ${ratio(osloAtBest?.perSecond, best.perSecond)}x.`, '']
    : [];
  return [
    ...bestLine,
    '| in flight | calls/s oslo-rx / raw | calls/s oslo-rx / Python | p99 oslo-rx / raw | client CPU oslo-rx / raw | server CPU oslo-rx / raw |',
    '|---|---|---|---|---|---|',
    ...rows,
  ];
}

/** What counting (the metrics) and tracing cost: oslo-rx beside itself without counting and with tracing on. */
function observabilityTable(results: BenchResults, intermediary: string): string[] {
  const rows = [1, 10, 100].flatMap((c) => {
    const o = cell(results, intermediary, 'oslo-rx', c);
    const off = cell(results, intermediary, 'oslo-rx, counting off', c);
    const traced = cell(results, intermediary, 'oslo-rx, tracing on', c);
    if (!o || (!off && !traced)) return [];
    const f = (x: RpcFigure | undefined) => (x ? f0(x.perSecond) : '–');
    return [`| ${c} | ${f(off)} | ${f0(o.perSecond)} | ${ratio(o.perSecond, off?.perSecond)} | ${ratio(o.clientCpuMicrosPerCall, off?.clientCpuMicrosPerCall)} | ${f(traced)} | ${ratio(traced?.perSecond, o.perSecond)} | ${ratio(traced?.clientCpuMicrosPerCall, o.clientCpuMicrosPerCall)} |`];
  });
  if (rows.length === 0) return [];
  return [
    "What observability costs, in the same alternated run: oslo-rx with its metrics counting switched off (an internal switch), as shipped (counting), and with tracing on (a registered OpenTelemetry tracer provider whose batched spans are dropped, W3C traceparent on every message).",
    '',
    '| in flight | calls/s counting off | calls/s counting (as shipped) | counting / off | client CPU counting / off | calls/s tracing on | tracing / shipped | client CPU tracing / shipped |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ];
}

function rpcTable(results: BenchResults, intermediary: string): string[] {
  const rows = [1, 10, 100].flatMap((c) =>
    CONTENDERS.flatMap((name) => {
      const r = cell(results, intermediary, name, c);
      return r ? [`| ${c} | ${name} | ${f0(r.perSecond)} | ${f2(r.p50Ms)} | ${f2(r.p99Ms)} | ${f0(r.clientCpuMicrosPerCall)} | ${f0(r.serverCpuMicrosPerCall)} |`] : [];
    }),
  );
  return ['| in flight | contender | calls/s | p50 ms | p99 ms | client CPU µs/call | server CPU µs/call |', '|---|---|---|---|---|---|---|', ...rows];
}

function oneWayTable(results: BenchResults, intermediary: string): string[] {
  const rows = results.oneWay
    .filter((r) => r.intermediary === intermediary)
    .map((r) => `| ${r.flow} | ${f0(r.perSecond)} | ${f0(r.senderCpuMicrosPerMessage)} | ${f0(r.receiverCpuMicrosPerMessage)} |`);
  return ['| flow (sent, received, acked) | messages/s | sender CPU µs/msg | receiver CPU µs/msg |', '|---|---|---|---|', ...rows];
}

/** The Markdown report: ratios first, then every figure, memory, and the machine. */
export function renderResults(results: BenchResults, jsonPath: string, chartPath: string): string {
  const m = results.machine;
  const load = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  const out: string[] = [
    '# oslo-rx benchmark results',
    '',
    `Generated by \`npm run bench\`${results.quick ? ' (--quick)' : ''} from [${jsonPath}](${jsonPath}), ${results.at}.`,
    `Every client and server is its own process; each intermediary is a process of its own. Medians of ${results.repetitions} repetitions after a warm-up, contenders alternated.`,
    'RPC is a 1 KiB string echo; one-way flows carry 1 KiB and count from the first send to the last message acked by the receiver.',
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${mib(m.memoryBytes)}, Node ${m.node}, ${m.platform}. Load average (1/5/15 min) at start ${load(results.loadAverageStart)}, at end ${load(results.loadAverageEnd)}; run took ${f0(results.durationSeconds)} s.`,
  ];
  if (results.loadAverageStart[0] > m.cores / 2) {
    out.push('', `**The machine was loaded by other work during this run (load average ${results.loadAverageStart[0].toFixed(1)} at start on ${m.cores} cores): figures are noisy and lower than on an idle machine; compare the ratios, which the alternation makes fairer, more than the absolute figures.**`);
  }
  if (results.skipped.length > 0) out.push('', `Skipped: ${results.skipped.join('; ')}.`);
  out.push(
    '',
    `![RPC calls per second](${chartPath})`,
    '',
    '## Ratios',
    '',
    "Issue 9's targets: oslo-rx calls/s at least 0.9x raw at 1, 10 and 100 in flight, p99 at most 1.2x raw, CPU per call at most 1.3x raw in client and server, at least 4x Python where Python does best, at most 2 KiB heap per in-flight call, flat heap over the long run.",
    '',
  );
  for (const at of results.intermediaries) out.push(`### ${at.description}`, '', ...ratioTable(results, at.name), '');
  if (results.intermediaries.some((at) => observabilityTable(results, at.name).length > 0)) {
    out.push('## Metrics and tracing', '');
    for (const at of results.intermediaries) out.push(`### ${at.description}`, '', ...observabilityTable(results, at.name), '');
  }
  out.push('## RPC', '');
  for (const at of results.intermediaries) out.push(`### ${at.description}`, '', ...rpcTable(results, at.name), '');
  out.push('## Casts and notifications', '');
  for (const at of results.intermediaries) out.push(`### ${at.description}`, '', ...oneWayTable(results, at.name), '');
  out.push('## Memory (oslo-rx)', '');
  for (const mem of results.memory) {
    const soak = mem.soakHeapAfterGcBytes;
    out.push(
      `Through ${results.intermediaries.find((i) => i.name === mem.intermediary)?.description ?? mem.intermediary}, processes started with \`--expose-gc\`:`,
      '',
      '| figure | value |',
      '|---|---|',
      `| client heap per in-flight call (${mem.inFlightCalls} held by the server) | ${kib(mem.clientHeapBytesPerCall)} |`,
      `| client RSS per in-flight call | ${kib(mem.clientRssBytesPerCall)} |`,
      `| server heap per held request | ${kib(mem.serverHeapBytesPerCall)} |`,
      `| server RSS per held request | ${kib(mem.serverRssBytesPerCall)} |`,
      `| client heap after GC across ${mem.soakCalls} calls${mem.soakCalls < mem.soakCallsPlanned ? ` (of ${mem.soakCallsPlanned} planned: time bound reached)` : ''} (before, after first slice, last) | ${mib(soak[0])}, ${mib(soak[1])}, ${mib(soak[soak.length - 1])} |`,
      `| every sample (MiB) | ${soak.map((b) => (b / 1048576).toFixed(1)).join(', ')} |`,
      `| growth after the first slice | ${kib(mem.soakHeapGrowthBytes)} |`,
      '',
    );
  }
  return `${out.join('\n')}\n`;
}
