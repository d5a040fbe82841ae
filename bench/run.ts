/**
 * The benchmark: oslo-rx against a hand-written rhea-promise request/reply (the ceiling) and
 * Python oslo.messaging (the reference), every client and server in its own process, through
 * intermediaries in their own processes, contenders alternated in one run.
 *
 *   npm run bench                      # everything, under 10 minutes
 *   npm run bench -- --quick           # fewer calls, the Proton broker only, under 2 minutes
 *   npm run bench -- --intermediaries proton,embedded --runs 5
 *   npm run bench -- --url amqp://127.0.0.1:5672 --out /tmp/bench   # an intermediary of yours
 *
 * `source .peers/peers.env` first for RabbitMQ 3.10 (OSLO_RX_RABBITMQ_URL) and the Proton
 * broker binary. Writes bench/results/<timestamp>.json, bench/results/calls-per-second.svg and
 * bench/RESULTS.md (with --out: <out>/<timestamp>.json, <out>/calls-per-second.svg and
 * <out>/RESULTS.md). `npm run bench -- --help` lists the options.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BenchChild } from './bench-child';
import { parseBenchOptions } from './bench-options';
import type { WindowResult } from './closed-loop';
import { type BenchIntermediary, availableIntermediaries, startIntermediary, userIntermediary } from './intermediaries';
import { loadAverage, machineFacts } from './machine';
import { progress, progressDone } from './progress';
import { renderChart, renderResults } from './report';
import type { BenchResults, Contender, MemoryFigure, OneWayFigure, OneWayRepetition, RpcFigure, RpcRepetition } from './results';
import type { ServerWindow } from './server-counter';
import { median } from './stats';
import { buildDist } from './build-dist';

const options = parseBenchOptions(process.argv);
const REPS = options.repetitions;
const CALLS = options.calls;
const MESSAGES = options.messages;
const WARMUP = options.warmup;
const CONCURRENCY = [1, 10, 100] as const;
const ONEWAY_IN_FLIGHT = 100;
const INFLIGHT_CALLS = options.inFlightCalls;
const SOAK_CALLS = options.soakCalls;
const SOAK_MAX_SECONDS = options.soakMaxSeconds;
const stamp = Date.now().toString(36);

/** The processes of one RPC contender. */
interface RpcPair {
  readonly contender: Contender;
  readonly server: BenchChild;
  readonly client: BenchChild;
}

/** A one-way flow: which client command feeds which receiver. */
interface Flow {
  readonly flow: string;
  readonly sender: BenchChild;
  readonly command: string;
  readonly args?: Record<string, unknown>;
  readonly receiver: BenchChild;
}

/** Every process a run on one intermediary uses. */
interface Contenders {
  readonly pairs: RpcPair[];
  readonly flows: Flow[];
  readonly children: BenchChild[];
}

async function startContenders(at: BenchIntermediary): Promise<Contenders> {
  const base = { url: at.url, preset: at.preset };
  const topic = `bench-${stamp}-${at.name}`;
  const children: BenchChild[] = [];
  const track = async (c: Promise<BenchChild>) => {
    const child = await c;
    children.push(child);
    return child;
  };
  progress(`${at.name}: starting oslo-rx, raw and Python processes`);
  // all at once: a client's first call waits in the intermediary until its server is there
  const pyTopic = `${topic}-py`;
  const [osloServer, rawServer, osloListener, batchListener, osloClient, rawClient, python, uncounted, traced] = await Promise.all([
    track(BenchChild.node('oslo-rx server', 'oslo-server', { ...base, topic })),
    track(BenchChild.node('raw server', 'raw-server', { ...base, topic: `${topic}-raw` })),
    track(BenchChild.node('oslo-rx listener', 'oslo-listener', { ...base, topic: `${topic}-n` })),
    track(BenchChild.node('oslo-rx batch listener', 'oslo-listener', { ...base, topic: `${topic}-b`, batch: true })),
    track(BenchChild.node('oslo-rx client', 'oslo-client', { ...base, topic })),
    track(BenchChild.node('raw client', 'raw-client', { ...base, topic: `${topic}-raw`, replyAddress: at.namedReplies ? `${topic}-raw-reply` : undefined })),
    at.python
      ? Promise.all([
          track(BenchChild.python('Python server', 'server', { ...base, topic: pyTopic })),
          track(BenchChild.python('Python listener', 'listener', { ...base, topic: `${pyTopic}-n` })),
          track(BenchChild.python('Python client', 'client', { ...base, topic: pyTopic })),
        ])
      : undefined,
    // what observability costs: the same client and server without counting, and with tracing on
    Promise.all([
      track(BenchChild.node('oslo-rx server, counting off', 'oslo-server', { ...base, topic: `${topic}-uncounted`, counting: false })),
      track(BenchChild.node('oslo-rx client, counting off', 'oslo-client', { ...base, topic: `${topic}-uncounted`, counting: false })),
    ]),
    Promise.all([
      track(BenchChild.node('oslo-rx server, tracing on', 'oslo-server', { ...base, topic: `${topic}-traced`, tracing: true })),
      track(BenchChild.node('oslo-rx client, tracing on', 'oslo-client', { ...base, topic: `${topic}-traced`, tracing: true })),
    ]),
  ]);
  const pairs: RpcPair[] = [
    { contender: 'oslo-rx', server: osloServer, client: osloClient },
    { contender: 'raw rhea-promise', server: rawServer, client: rawClient },
    { contender: 'oslo-rx, counting off', server: uncounted[0], client: uncounted[1] },
    { contender: 'oslo-rx, tracing on', server: traced[0], client: traced[1] },
  ];
  const flows: Flow[] = [
    { flow: 'oslo-rx cast', sender: osloClient, command: 'cast', receiver: osloServer },
    { flow: 'oslo-rx notification', sender: osloClient, command: 'notify', receiver: osloListener },
    { flow: 'oslo-rx notification, listener batches', sender: osloClient, command: 'notify', args: { batch: true }, receiver: batchListener },
    { flow: 'raw rhea-promise one-way', sender: rawClient, command: 'oneway', receiver: rawServer },
  ];
  if (python) {
    const [pyServer, pyListener, pyClient] = python;
    pairs.push({ contender: 'Python oslo.messaging', server: pyServer, client: pyClient });
    flows.push(
      { flow: 'Python cast', sender: pyClient, command: 'cast', receiver: pyServer },
      { flow: 'Python notification', sender: pyClient, command: 'notify', receiver: pyListener },
    );
  }
  return { pairs, flows, children };
}

/** `xs` rotated by `by` places: each repetition starts with another contender. */
function rotate<T>(xs: readonly T[], by: number): T[] {
  return xs.map((_, i) => xs[(i + by) % xs.length]);
}

async function measureRpc(pair: RpcPair, concurrency: number, calls: number): Promise<RpcRepetition> {
  await pair.server.request('window-start');
  const client = await pair.client.request<WindowResult>('rpc', { count: calls, concurrency });
  const server = await pair.server.request<ServerWindow>('window');
  return {
    perSecond: client.perSecond,
    p50Ms: client.p50Ms,
    p99Ms: client.p99Ms,
    clientCpuMicrosPerCall: client.cpuMicros / client.count,
    serverCpuMicrosPerCall: server.cpuMicros / Math.max(1, server.handled),
  };
}

async function measureFlow(flow: Flow, messages: number): Promise<OneWayRepetition> {
  await flow.receiver.request('window-start');
  const t0 = performance.now();
  const received = flow.receiver.request<ServerWindow>('expect', { n: messages, timeoutMs: 180_000 });
  received.catch(() => undefined); // awaited below; a failed send must not leave it unhandled
  const sent = await flow.sender.request<WindowResult>(flow.command, { count: messages, concurrency: ONEWAY_IN_FLIGHT, ...flow.args });
  const window = await received;
  const seconds = (performance.now() - t0) / 1000;
  return {
    perSecond: messages / seconds,
    senderCpuMicrosPerMessage: sent.cpuMicros / messages,
    receiverCpuMicrosPerMessage: window.cpuMicros / messages,
  };
}

/** The median of each numeric field across repetitions. */
function medians<T extends object>(reps: readonly T[]): T {
  const keys = Object.keys(reps[0]) as (keyof T)[];
  return Object.fromEntries(keys.map((k) => [k, median(reps.map((r) => r[k] as number))])) as T;
}

/** Calls in one measured window: twice as many with calls in flight, whose windows are otherwise a fraction of a second. */
function callsAt(concurrency: number): number {
  return concurrency === 1 ? CALLS : 2 * CALLS;
}

async function runRpc(at: BenchIntermediary, c: Contenders): Promise<RpcFigure[]> {
  for (const pair of c.pairs) {
    for (const concurrency of CONCURRENCY) {
      progress(`${at.name}: warm-up ${pair.contender}, ${concurrency} in flight`);
      await measureRpc(pair, concurrency, WARMUP);
    }
  }
  const reps = new Map<string, RpcRepetition[]>();
  for (let rep = 0; rep < REPS; rep++) {
    for (const concurrency of CONCURRENCY) {
      for (const pair of rotate(c.pairs, rep)) {
        progress(`${at.name}: RPC repetition ${rep + 1}/${REPS}, ${concurrency} in flight, ${pair.contender}`);
        const key = `${pair.contender}|${concurrency}`;
        reps.set(key, [...(reps.get(key) ?? []), await measureRpc(pair, concurrency, callsAt(concurrency))]);
      }
    }
  }
  return c.pairs.flatMap((pair) =>
    CONCURRENCY.map((concurrency) => {
      const list = reps.get(`${pair.contender}|${concurrency}`)!;
      return { intermediary: at.name, contender: pair.contender, concurrency, calls: callsAt(concurrency), ...medians(list), repetitions: list };
    }),
  );
}

async function runOneWay(at: BenchIntermediary, c: Contenders): Promise<OneWayFigure[]> {
  for (const flow of c.flows) {
    progress(`${at.name}: warm-up ${flow.flow}`);
    await measureFlow(flow, 200);
  }
  const reps = new Map<string, OneWayRepetition[]>();
  for (let rep = 0; rep < REPS; rep++) {
    for (const flow of rotate(c.flows, rep)) {
      progress(`${at.name}: one-way repetition ${rep + 1}/${REPS}, ${flow.flow}`);
      reps.set(flow.flow, [...(reps.get(flow.flow) ?? []), await measureFlow(flow, MESSAGES)]);
    }
  }
  return c.flows.map((flow) => {
    const list = reps.get(flow.flow)!;
    return { intermediary: at.name, flow: flow.flow, messages: MESSAGES, inFlight: ONEWAY_IN_FLIGHT, ...medians(list), repetitions: list };
  });
}

type Memory = { heapUsed: number; rss: number };

async function runMemory(at: BenchIntermediary): Promise<MemoryFigure> {
  const topic = `bench-${stamp}-${at.name}-memory`;
  const base = { url: at.url, preset: at.preset };
  const children: BenchChild[] = [];
  try {
    progress(`${at.name}: memory, starting oslo-rx processes (--expose-gc)`);
    const echo = await BenchChild.node('oslo-rx soak server', 'oslo-server', { ...base, topic: `${topic}-echo` });
    children.push(echo);
    const hold = await BenchChild.node('oslo-rx holding server', 'oslo-server', { ...base, topic, hold: true }, ['--expose-gc']);
    children.push(hold);
    const client = await BenchChild.node('oslo-rx memory client', 'oslo-client', { ...base, topic, soakTopic: `${topic}-echo` }, ['--expose-gc']);
    children.push(client);
    const clientBefore = await client.request<Memory>('memory');
    await hold.request('window-start');
    const serverBefore = await hold.request<Memory>('memory');
    progress(`${at.name}: memory, ${INFLIGHT_CALLS} calls in flight`);
    await client.request('inflight', { count: INFLIGHT_CALLS });
    await hold.request('expect', { n: INFLIGHT_CALLS, timeoutMs: 120_000 });
    const clientHeld = await client.request<Memory>('memory');
    const serverHeld = await hold.request<Memory>('memory');
    await hold.request('release');
    await client.request('inflight-wait');
    progress(`${at.name}: memory, up to ${SOAK_CALLS} calls (at most about ${SOAK_MAX_SECONDS} s), heap after GC every ${SOAK_CALLS / 10}`);
    const soak = await client.request<{ calls: number; heapAfterGc: number[] }>(
      'soak',
      { count: SOAK_CALLS, concurrency: 100, samples: 10, maxSeconds: SOAK_MAX_SECONDS },
      (SOAK_MAX_SECONDS + 120) * 1000,
    );
    const per = (a: number, b: number) => (b - a) / INFLIGHT_CALLS;
    return {
      intermediary: at.name,
      inFlightCalls: INFLIGHT_CALLS,
      clientHeapBytesPerCall: per(clientBefore.heapUsed, clientHeld.heapUsed),
      clientRssBytesPerCall: per(clientBefore.rss, clientHeld.rss),
      serverHeapBytesPerCall: per(serverBefore.heapUsed, serverHeld.heapUsed),
      serverRssBytesPerCall: per(serverBefore.rss, serverHeld.rss),
      soakCalls: soak.calls,
      soakCallsPlanned: SOAK_CALLS,
      soakHeapAfterGcBytes: soak.heapAfterGc,
      soakHeapGrowthBytes: soak.heapAfterGc[soak.heapAfterGc.length - 1] - soak.heapAfterGc[1],
    };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}

async function main(): Promise<void> {
  // the children run oslo-rx compiled, as its users do
  buildDist();
  const t0 = performance.now();
  const loadAverageStart = loadAverage();
  const { names, skipped } = options.url ? { names: ['url'], skipped: [] } : availableIntermediaries(options.intermediaries);
  skipped.forEach((s) => console.error(`skipping ${s}`));
  const rpc: RpcFigure[] = [];
  const oneWay: OneWayFigure[] = [];
  const memory: MemoryFigure[] = [];
  const used: { name: string; description: string }[] = [];
  for (const [i, name] of names.entries()) {
    progress(`${name}: starting`);
    const at = options.url ? userIntermediary(options.url) : await startIntermediary(name, options.basePort + 1 + i);
    used.push({ name: at.name, description: at.description });
    try {
      const contenders = await startContenders(at);
      try {
        rpc.push(...(await runRpc(at, contenders)));
        oneWay.push(...(await runOneWay(at, contenders)));
      } finally {
        await Promise.all(contenders.children.map((child) => child.stop()));
      }
      if (i === 0 && options.memory) memory.push(await runMemory(at));
    } finally {
      await at.stop();
    }
  }
  progressDone();
  const at = new Date().toISOString().replace(/[:.]/g, '-');
  const results: BenchResults = {
    at,
    quick: options.quick,
    durationSeconds: (performance.now() - t0) / 1000,
    machine: machineFacts(),
    loadAverageStart,
    loadAverageEnd: loadAverage(),
    intermediaries: used,
    skipped,
    repetitions: REPS,
    rpc,
    oneWay,
    memory,
  };
  const dir = resolve(options.out ?? resolve(__dirname, 'results'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(resolve(dir, `${at}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(resolve(dir, 'calls-per-second.svg'), renderChart(results));
  // bench/RESULTS.md links into bench/results; a report written elsewhere sits beside its files
  const markdown = options.out ? renderResults(results, `${at}.json`, 'calls-per-second.svg') : renderResults(results, `results/${at}.json`, 'results/calls-per-second.svg');
  writeFileSync(options.out ? resolve(dir, 'RESULTS.md') : resolve(__dirname, 'RESULTS.md'), markdown);
  console.log(markdown);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    progressDone();
    console.error(error);
    process.exit(1);
  },
);
