/**
 * The RPC server's own work per request, without a network: `rpcServer(...).pipe(dispatch(...))`
 * on a transport whose receiver emits prepared deliveries and whose `send` answers at once.
 * What it times is the library's part of a server request (decode the request, route it,
 * run the endpoint, build and hand over the reply, settle the delivery), which the
 * end-to-end benchmark only shows mixed with the intermediary and the sockets.
 *
 *   npx tsx bench/server-path.ts [--requests 20000] [--runs 5] [--in-flight 10] [--profile]
 *
 * Prints CPU µs per request (median and best of the runs). For a profile:
 *   node --cpu-prof --cpu-prof-dir /tmp/prof --require tsx/cjs bench/server-path.ts
 */
import { parseArgs } from 'node:util';
import { type Observable, Subject, of } from 'rxjs';
import type { Message } from 'rhea-promise';
import { message as rheaMessage } from 'rhea';
import { dispatch, rpcServer } from '../lib';
import { resolveAmqpOptions } from '../lib/config';
import { IncomingDelivery } from '../lib/amqp/incoming-delivery';
import type { MessagingTransport } from '../lib/amqp';
import { buildCallMessage } from '../lib/wire';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '5' },
    'in-flight': { type: 'string', default: '10' },
  },
});
const REQUESTS = Number(values.requests);
const RUNS = Number(values.runs);
const IN_FLIGHT = Number(values['in-flight']);
let replies = 0;

/** A request as the server link hands it over: encoded by a client and decoded again, as rhea does. */
function receivedCall(i: number): Message {
  const sent = buildCallMessage(
    { method: 'echo', args: { data: 'x'.repeat(1024) }, context: { user: 'bench', request_id: `req-${i}` } },
    { to: 'bench.s1', replyTo: 'reply-address', messageId: `id-${i}`, timeoutMs: 60_000 },
  );
  return rheaMessage.decode(rheaMessage.encode(sent) as Buffer) as unknown as Message;
}

/** The transport's part: deliveries come from `incoming`; every send is accepted at once. */
function fakeTransport(incoming: Subject<IncomingDelivery>): MessagingTransport {
  let first = true;
  const accepted = of({ outcome: 'accepted' as const });
  return {
    options: resolveAmqpOptions({}),
    receive: () => {
      const deliveries = first ? incoming.asObservable() : new Subject<IncomingDelivery>().asObservable();
      first = false;
      return deliveries;
    },
    send: () => {
      replies++;
      return accepted as unknown as Observable<never>;
    },
  } as unknown as MessagingTransport;
}

/** Runs `count` requests with `inFlight` unsettled at most; resolves with CPU µs per request. */
function runOnce(messages: readonly Message[], count: number, inFlight: number): Promise<number> {
  const incoming = new Subject<IncomingDelivery>();
  const transport = fakeTransport(incoming);
  let next = 0;
  let done = 0;
  const frame = { accept: () => undefined, release: () => undefined, modified: () => undefined, reject: () => undefined, remote_settled: false };
  return new Promise((resolve) => {
    let cpu0: NodeJS.CpuUsage;
    const feed = () => {
      const message = messages[next++ % messages.length]!;
      const delivery: IncomingDelivery = new IncomingDelivery(message, frame as never, {
        settled: () => {
          if (++done === count) {
            const cpu = process.cpuUsage(cpu0);
            sub.unsubscribe();
            resolve((cpu.user + cpu.system) / count);
          } else if (next < count) queueMicrotask(feed);
        },
      });
      incoming.next(delivery);
    };
    const sub = rpcServer(transport, { topic: 'bench', server: 's1' })
      .pipe(dispatch([{ echo: (_ctx: unknown, args: { data: string }) => args.data }]))
      .subscribe();
    cpu0 = process.cpuUsage();
    for (let i = 0; i < inFlight && next < count; i++) feed();
  });
}

async function main(): Promise<void> {
  const messages = Array.from({ length: 64 }, (_, i) => receivedCall(i));
  await runOnce(messages, Math.min(REQUESTS, 5000), IN_FLIGHT); // warm-up
  const cpu: number[] = [];
  replies = 0;
  for (let r = 0; r < RUNS; r++) cpu.push(await runOnce(messages, REQUESTS, IN_FLIGHT));
  cpu.sort((a, b) => a - b);
  if (replies !== REQUESTS * RUNS) throw new Error(`${replies} replies sent for ${REQUESTS * RUNS} requests`);
  console.log(`server path, ${REQUESTS} requests x ${RUNS} runs, ${IN_FLIGHT} in flight: CPU ${cpu[Math.floor(RUNS / 2)]!.toFixed(1)} µs/request (best ${cpu[0]!.toFixed(1)})`);
}

void main();
