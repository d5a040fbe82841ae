/**
 * What counting costs: the per-call and per-delivery hooks of the transport's metrics
 * (`lib/amqp/metrics.ts`) timed in a tight loop, next to what an RPC call costs end to
 * end through the embedded broker on the same machine; and what tracing's hooks cost
 * (`lib/tracing`) without a tracer provider (the check every call makes) and with one.
 *
 *   npx tsx bench/metrics-cost.ts [--ops 1000000] [--calls 2000]
 */
import { parseArgs } from 'node:util';
import { firstValueFrom, lastValueFrom, mergeMap, range } from 'rxjs';
import { RpcClient, createTransport, dispatch, rpcServer } from '../lib';
import { startEmbeddedIntermediary } from '../lib/testing';
import { TransportCounters } from '../lib/amqp/metrics';
import { startReceiveSpan, startSendSpan } from '../lib/tracing';
import { enableBenchTracing } from './roles/bench-tracing';

const { values } = parseArgs({ options: { ops: { type: 'string', default: '1000000' }, calls: { type: 'string', default: '2000' } } });
const OPS = Number(values.ops);
const CALLS = Number(values.calls);

/** Nanoseconds per run of `op`, the best of 5 loops of `OPS`. */
function nsPerOp(op: () => void): number {
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < OPS; i++) op();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / OPS);
  }
  return best;
}

async function main(): Promise<void> {
  const counters = new TransportCounters();
  // what call() counts for one call: started, then ended with its latency
  const metered = nsPerOp(() => counters.callEnded('ok', counters.callStarted()));
  const delivery = nsPerOp(() => {
    counters.received();
    counters.settled('accepted');
    counters.granted(1);
  });
  const send = nsPerOp(() => counters.sendOutcome('accepted'));
  const untraced = nsPerOp(() => {
    startSendSpan('call', 'echo', 'topic')?.end();
  });
  // the span hooks of one call with a provider registered (batched spans, dropped): the caller's span with its traceparent, and the server's
  enableBenchTracing();
  const traced = nsPerOp(() => {
    const message = { body: null, to: 'topic' };
    const span = startSendSpan('call', 'echo', 'topic');
    span?.inject(message);
    span?.end();
    startReceiveSpan('dispatch', 'echo', 'topic', message)?.end();
  });

  const broker = await startEmbeddedIntermediary({ mode: 'broker' });
  const transport = createTransport(broker.url);
  const sub = rpcServer(transport, { topic: 'bench-metrics', server: 's1' }).pipe(dispatch([{ echo: (_c: unknown, a: unknown) => a }])).subscribe();
  const client = new RpcClient(transport, { topic: 'bench-metrics' }, { timeoutMs: 30_000 });
  await firstValueFrom(client.call('echo'));
  const t0 = performance.now();
  await lastValueFrom(range(0, CALLS).pipe(mergeMap(() => client.call('echo', { n: 1 }), 10)));
  const callUs = ((performance.now() - t0) * 1000) / CALLS;
  sub.unsubscribe();
  await transport.close();
  await broker.stop();

  const perCallNs = metered + send * 2 + delivery * 2;
  console.log('| what | ns per op |');
  console.log('|---|---|');
  console.log(`| one call counted (started, ended with its latency) | ${metered.toFixed(0)} |`);
  console.log(`| one delivery counted (received, settled, credit back) | ${delivery.toFixed(0)} |`);
  console.log(`| one send outcome counted | ${send.toFixed(0)} |`);
  console.log(`| tracing off: the check a call makes (no tracer provider registered) | ${untraced.toFixed(0)} |`);
  console.log(`| tracing on: a call's spans (client span, traceparent written, server span continued from it) | ${traced.toFixed(0)} |`);
  console.log('');
  console.log(`An RPC call through the embedded broker at 10 in flight: ${callUs.toFixed(0)} µs of wall time per call (${(1e6 / callUs).toFixed(0)} calls/s).`);
  console.log(`Counting for one call (its meter, 2 send outcomes, 2 deliveries): about ${perCallNs.toFixed(0)} ns, ${((perCallNs / (callUs * 1000)) * 100).toFixed(2)} % of it.`);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
