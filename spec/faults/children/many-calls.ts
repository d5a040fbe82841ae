/**
 * Many calls through one transport, with the heap measured after a full GC:
 * `node --expose-gc many-calls.ts TARGET CONCURRENCY WARMUP BUDGET_MS`. Runs its own
 * embedded broker, a server on a second transport and the client. Calls run in slices of
 * 1,000 (so a measurement sees no call in flight): after WARMUP calls it prints
 * `{"checkpoint": n, "heap": bytes, "rss": bytes, "ms": elapsed}`, then goes on until TARGET
 * calls or BUDGET_MS, prints a last checkpoint, then `{"done": true, "ok": n, "failed": n, "ms": elapsed}`.
 */
import { lastValueFrom, mergeMap, range, tap } from 'rxjs';
import { RpcClient, createTransport, dispatch, rpcServer } from '../../../lib';
import { startEmbeddedIntermediary } from '../../../lib/testing';
import { tellParent } from '../../support/node-child';

const [target, concurrency, warmup, budgetMs] = process.argv.slice(2).map(Number);
const SLICE = 1000;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

/** Heap used after two full collections (the second picks up what finalizers freed). */
function settledHeap(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

void (async () => {
  const broker = await startEmbeddedIntermediary({ mode: 'broker' });
  const serverSide = createTransport(broker.url);
  const client = createTransport(broker.url);
  const serving = rpcServer(serverSide, { topic: 'many', server: 's1' })
    .pipe(dispatch([{ add: (_c: unknown, { a }: { a: number }) => a + 1 }]))
    .subscribe();
  const rpc = new RpcClient(client, { topic: 'many', server: 's1' }, { timeoutMs: 30_000 });
  const started = Date.now();
  let ok = 0;
  let failed = 0;
  let done = 0;
  const checkpoint = () => tellParent({ checkpoint: done, heap: settledHeap(), rss: process.memoryUsage().rss, ms: Date.now() - started });
  const slice = (count: number) =>
    lastValueFrom(
      range(done, count).pipe(
        mergeMap((i) => rpc.call<number>('add', { a: i }).pipe(tap({ next: () => ok++, error: () => failed++ })), concurrency),
      ),
      { defaultValue: undefined },
    )
      .catch(() => undefined)
      .then(() => {
        done += count;
      });
  while (done < warmup) await slice(Math.min(SLICE, warmup - done));
  checkpoint();
  const until = Date.now() + budgetMs;
  while (done < target && Date.now() < until) await slice(Math.min(SLICE, target - done));
  checkpoint();
  serving.unsubscribe();
  await Promise.all([client.close(), serverSide.close()]);
  await broker.stop();
  tellParent({ done: true, ok, failed, ms: Date.now() - started });
})();
