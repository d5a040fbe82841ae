/**
 * Benchmarks: oslo-rx RPC and notifications against raw rhea-promise doing the same
 * exchange on the same intermediary (the ceiling), in one run.
 *
 *   npx tsx bench/run.ts [--url amqp://127.0.0.1:27680] [--calls 2000] [--notifications 5000] [--runs 3] [--out bench/results]
 *
 * Without --url it uses the embedded broker. With --url, and Debian's python3-oslo.messaging
 * installed, the Python peer's figures (bench/python_rpc.py) are measured on the same
 * intermediary in the same run. Writes <out>/<date>.json and .md (out: bench/results).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { lastValueFrom, mergeMap, range, EMPTY, tap } from 'rxjs';
import { Connection, type EventContext } from 'rhea-promise';
import { Notifier, RpcClient, createTransport, dispatch, notificationListener, rpcServer } from '../lib';
import { startEmbeddedIntermediary } from '../lib/testing';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    calls: { type: 'string', default: '2000' },
    notifications: { type: 'string', default: '5000' },
    runs: { type: 'string', default: '3' },
    out: { type: 'string', default: 'bench/results' },
  },
});
const CALLS = Number(values.calls);
const NOTIFICATIONS = Number(values.notifications);
const RUNS = Number(values.runs);

interface Figure {
  readonly name: string;
  readonly concurrency: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/** Runs `n` operations `concurrency` at a time, `RUNS` times; the median run's figures. */
async function measure(name: string, concurrency: number, n: number, op: () => Promise<void>): Promise<Figure> {
  const runs: Figure[] = [];
  for (let r = 0; r < RUNS; r++) {
    const latencies: number[] = [];
    const start = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < n) {
          next++;
          const t0 = performance.now();
          await op();
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    runs.push({ name, concurrency, perSecond: n / seconds, p50Ms: pct(latencies, 0.5), p99Ms: pct(latencies, 0.99) });
  }
  const mid = median(runs.map((f) => f.perSecond));
  return runs.find((f) => f.perSecond === mid)!;
}

/** A raw rhea-promise request/response: one sender, a dynamic reply receiver, a correlation map. */
async function rawRpc(url: string, address: string) {
  const u = new URL(url);
  const conn = await new Connection({ host: u.hostname, port: Number(u.port), reconnect: false, tcp_no_delay: true } as never).open();
  const serverConn = await new Connection({ host: u.hostname, port: Number(u.port), reconnect: false, tcp_no_delay: true } as never).open();
  const replySenders = new Map<string, Awaited<ReturnType<Connection['createSender']>>>();
  await serverConn.createReceiver({
    source: { address },
    credit_window: 200,
    onError: () => undefined,
    onMessage: async (ctx: EventContext) => {
      const m = ctx.message!;
      const to = String(m.reply_to);
      let s = replySenders.get(to);
      if (!s) {
        s = await serverConn.createSender({ target: { address: to } });
        replySenders.set(to, s);
      }
      s.send({ correlation_id: m.message_id, body: JSON.stringify({ response: JSON.parse(String(m.body)).request.args.a + 1 }) });
    },
  });
  const pending = new Map<string, () => void>();
  const replies = await conn.createReceiver({
    source: { dynamic: true } as never,
    credit_window: 200,
    onError: () => undefined,
    onMessage: (ctx: EventContext) => pending.get(String(ctx.message!.correlation_id))?.(),
  });
  const replyTo = String(replies.source.address);
  // a plain sender: rhea queues what it cannot send yet until credit arrives
  const sender = await conn.createSender({ target: { address } });
  let id = 0;
  return {
    call: () =>
      new Promise<void>((resolve, reject) => {
        const mid = String(++id);
        pending.set(mid, () => {
          pending.delete(mid);
          resolve();
        });
        try {
          sender.send({ message_id: mid, reply_to: replyTo, body: JSON.stringify({ request: { method: 'add', args: { a: 1 } }, context: {} }) });
        } catch (e) {
          reject(e);
        }
      }),
    close: async () => {
      await conn.close();
      await serverConn.close();
    },
  };
}

async function main(): Promise<void> {
  const embedded = values.url ? undefined : await startEmbeddedIntermediary({ mode: 'broker' });
  const url = values.url ?? embedded!.url;
  const figures: Figure[] = [];

  // oslo-rx RPC
  const serverTransport = createTransport(url);
  const clientTransport = createTransport(url);
  const topic = `bench-${Date.now()}`;
  const server = rpcServer(serverTransport, { topic, server: 's1' })
    .pipe(dispatch([{ add: (_c: unknown, { a }: { a: number }) => a + 1 }]))
    .subscribe();
  const client = new RpcClient(clientTransport, { topic, server: 's1' });
  await lastValueFrom(client.call('add', { a: 1 }));
  // raw rhea-promise on the same intermediary
  const raw = await rawRpc(url, `bench-raw-${Date.now()}`);
  await raw.call();
  for (const c of [1, 10, 100]) {
    figures.push(await measure('oslo-rx call', c, CALLS, () => lastValueFrom(client.call('add', { a: 1 })).then(() => undefined)));
    figures.push(await measure('raw rhea-promise call', c, CALLS, raw.call));
  }
  server.unsubscribe();
  await raw.close();

  // notifications end to end
  const ntopic = `bench-n-${Date.now()}`;
  for (let r = 0; r < 1; r++) {
    let received = 0;
    let allIn!: () => void;
    const done = new Promise<void>((res) => (allIn = res));
    const sub = notificationListener(serverTransport, [{ topic: ntopic }], { priorities: ['info'], credit: 500 })
      .pipe(
        tap((n) => {
          n.ack();
          if (++received === NOTIFICATIONS) allIn();
        }),
        mergeMap(() => EMPTY),
      )
      .subscribe();
    const notifier = new Notifier(clientTransport, { publisherId: 'bench', topics: [ntopic] });
    await new Promise((res) => setTimeout(res, 300));
    const t0 = performance.now();
    await lastValueFrom(range(0, NOTIFICATIONS).pipe(mergeMap((i) => notifier.info({}, 'bench', { i }), 100)), { defaultValue: undefined });
    await done;
    const seconds = (performance.now() - t0) / 1000;
    figures.push({ name: 'oslo-rx notifications end to end', concurrency: 100, perSecond: NOTIFICATIONS / seconds, p50Ms: NaN, p99Ms: NaN });
    sub.unsubscribe();
  }

  await clientTransport.close();
  await serverTransport.close();
  await embedded?.stop();

  // the Python reference, when the intermediary is one it can use (it needs dynamic reply sources)
  if (values.url && existsSync('/usr/lib/python3/dist-packages/oslo_messaging')) {
    try {
      const out = execFileSync('/usr/bin/python3', ['bench/python_rpc.py', '--url', values.url, '--calls', String(Math.min(CALLS, 1000)), '--concurrency', '1', '10', '100'], {
        encoding: 'utf8',
        timeout: 180_000,
      });
      for (const line of out.split('\n').filter(Boolean)) figures.push(JSON.parse(line) as Figure);
    } catch (e) {
      console.error(`Python reference skipped: ${(e as Error).message.split('\n')[0]}`);
    }
  }

  const at = new Date().toISOString().replace(/[:.]/g, '-');
  const intermediary = values.url ? values.url.replace(/\/\/[^@]*@/, '//') : 'embedded broker';
  mkdirSync(values.out, { recursive: true });
  writeFileSync(`${values.out}/${at}.json`, JSON.stringify({ at, intermediary, calls: CALLS, runs: RUNS, figures }, null, 2));
  const rows = figures.map((f) => `| ${f.name} | ${f.concurrency} | ${f.perSecond.toFixed(0)} | ${Number.isNaN(f.p50Ms) ? '–' : f.p50Ms.toFixed(2)} | ${Number.isNaN(f.p99Ms) ? '–' : f.p99Ms.toFixed(2)} |`);
  const ratio = [1, 10, 100].map((c) => {
    const at = (name: string) => figures.find((f) => f.name === name && f.concurrency === c);
    const o = at('oslo-rx call')!;
    const r = at('raw rhea-promise call')!;
    const py = at('Python oslo.messaging call');
    return `| ${c} | ${(o.perSecond / r.perSecond).toFixed(2)} | ${py ? (o.perSecond / py.perSecond).toFixed(2) : '–'} |`;
  });
  const md = [
    `# oslo-rx benchmark, ${at}`,
    '',
    `Intermediary: ${intermediary}. ${CALLS} calls per run, median of ${RUNS} runs.`,
    '',
    '| what | concurrency | per second | p50 ms | p99 ms |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    '| concurrency | oslo-rx / raw rhea-promise (calls/s) | oslo-rx / Python oslo.messaging (calls/s) |',
    '|---|---|---|',
    ...ratio,
    '',
  ].join('\n');
  writeFileSync(`${values.out}/${at}.md`, md);
  console.log(md);
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
