/**
 * The oslo-rx client: RPC echo calls (`rpc`), casts (`cast`) and notifications (`notify`) in a
 * closed loop, `inflight` calls held open for the memory figure, and a long `soak` that samples
 * the heap after GC (against the `soakTopic` server when given).
 */
import { performance } from 'node:perf_hooks';
import { type Subscription, firstValueFrom, lastValueFrom } from 'rxjs';
import { osloRx } from '../oslo-rx';
import { closedLoop } from '../closed-loop';
import { PAYLOAD, type Role, type RoleOptions } from '../role';
import { benchTransport } from './oslo-transport';
import { memoryFacts } from './oslo-server';

const { Notifier, RpcClient } = osloRx;

/** Starts the client. */
export async function osloClient(options: RoleOptions & { notifyTopic?: string; batchNotifyTopic?: string; soakTopic?: string }): Promise<Role> {
  const transport = benchTransport(options);
  const client = new RpcClient(transport, { topic: options.topic, server: 's1' });
  const caster = new RpcClient(transport, { topic: options.topic });
  const notifier = new Notifier(transport, { publisherId: 'bench', topics: [options.notifyTopic ?? `${options.topic}-n`] });
  const batchNotifier = new Notifier(transport, { publisherId: 'bench', topics: [options.batchNotifyTopic ?? `${options.topic}-b`] });
  const call = () => firstValueFrom(client.call('echo', { data: PAYLOAD }));
  const soakClient = options.soakTopic ? new RpcClient(transport, { topic: options.soakTopic, server: 's1' }) : client;
  const soakCall = () => firstValueFrom(soakClient.call('echo', { data: PAYLOAD }));
  await soakCall();
  let inflight: Subscription[] = [];
  let inflightDone: Promise<unknown> = Promise.resolve();
  return {
    handle: (cmd, args) => {
      const count = Number(args.count);
      const concurrency = Number(args.concurrency ?? 1);
      switch (cmd) {
        case 'rpc':
          return closedLoop(count, concurrency, call);
        case 'cast':
          return closedLoop(count, concurrency, () => lastValueFrom(caster.cast('oneway', { data: PAYLOAD }), { defaultValue: undefined }));
        case 'notify': {
          const to = args.batch ? batchNotifier : notifier;
          return closedLoop(count, concurrency, () => lastValueFrom(to.info({}, 'bench.event', { data: PAYLOAD }), { defaultValue: undefined }));
        }
        case 'memory':
          return Promise.resolve(memoryFacts());
        case 'inflight': {
          const replies: Promise<unknown>[] = [];
          inflight = Array.from({ length: count }, () => {
            let sub!: Subscription;
            replies.push(new Promise((done, fail) => (sub = client.call('echo', { data: PAYLOAD }).subscribe({ complete: () => done(undefined), error: fail }))));
            return sub;
          });
          inflightDone = Promise.all(replies);
          return Promise.resolve({ started: inflight.length });
        }
        case 'inflight-wait':
          return inflightDone.then(() => ({ done: inflight.splice(0).length }));
        case 'soak':
          return soak(count, concurrency, Number(args.samples ?? 10), Number(args.maxSeconds ?? Infinity), soakCall);
        default:
          return undefined;
      }
    },
    close: () => transport.close(),
  };
}

/**
 * `count` calls in `samples` slices, stopping after the slice that passes `maxSeconds`; the heap
 * after GC before the first slice and after each.
 */
async function soak(count: number, concurrency: number, samples: number, maxSeconds: number, call: () => Promise<unknown>) {
  const heap = [memoryFacts().heapUsed];
  const slice = Math.ceil(count / samples);
  const t0 = performance.now();
  let done = 0;
  let perSecond = 0;
  while (done < count && (performance.now() - t0) / 1000 < maxSeconds) {
    const n = Math.min(slice, count - done);
    perSecond = (await closedLoop(n, concurrency, call)).perSecond;
    done += n;
    heap.push(memoryFacts().heapUsed);
  }
  return { calls: done, heapAfterGc: heap, lastSlicePerSecond: perSecond };
}
