/**
 * A process that closes its transport under load and must then exit by itself (no
 * `process.exit`): `close-under-load.ts URL TOPIC CALLS BATCH OPTIONS_JSON`. It makes CALLS calls
 * to TOPIC (the parent's server holds them) and listens to TOPIC's notifications in batches of
 * BATCH whose work never ends (BATCH 0: no listener). It prints `{"batch": [ids]}` when it holds a batch; told
 * `{"close": true}`, it closes the transport and prints how everything ended:
 * `{"closed": true, "closeMs", "calls": {code: count}, "listener": "complete" | "error: ..." | "open",
 * "resources": [...process.getActiveResourcesInfo()]}`, and `{"lingering": [...]}` if still alive 3 s later.
 */
import { NEVER, bufferCount, lastValueFrom, mergeMap, tap } from 'rxjs';
import { RpcClient, ackBatch, createTransport, isMessagingError, notificationListener } from '../../../lib';
import { parentMessages, tellParent } from '../../support/node-child';

const [url, topic, calls, batchSize, options] = process.argv.slice(2);
const transport = createTransport(url, JSON.parse(options || '{}'));
const rpc = new RpcClient(transport, { topic, server: 's1' }, { timeoutMs: 60_000 });
const outcomes = [...Array(Number(calls)).keys()].map((i) =>
  lastValueFrom(rpc.call('hold', { i })).then(
    () => 'ok',
    (e: unknown) => (isMessagingError(e) ? e.code : String(e)),
  ),
);
let listener = Number(batchSize) > 0 ? 'open' : 'none';
if (Number(batchSize) > 0) notificationListener(transport, [{ topic }], { priorities: ['info'] })
  .pipe(
    // the listener's own stream, before the batching (whose never-ending work keeps mergeMap open)
    tap({ complete: () => (listener = 'complete'), error: (e: unknown) => (listener = `error: ${String(e)}`) }),
    bufferCount(Number(batchSize)),
    tap((batch) => tellParent({ batch: batch.map((n) => (n.payload as { i: number }).i) })),
    mergeMap((batch) => NEVER.pipe(ackBatch(batch))),
  )
  .subscribe({ error: () => undefined });
void transport.ready().then(() => tellParent({ ready: true }));

const stopReading = parentMessages((m) => {
  if (!m.close) return;
  stopReading();
  const started = Date.now();
  void transport.close().then(async () => {
    const closeMs = Date.now() - started;
    const ended: Record<string, number> = {};
    for (const code of await Promise.all(outcomes)) ended[code] = (ended[code] ?? 0) + 1;
    // let whatever close() scheduled run, then list what would keep the process alive
    await new Promise((done) => setImmediate(done));
    tellParent({ closed: true, closeMs, calls: ended, listener, resources: process.getActiveResourcesInfo() });
    // still alive 3 s later: say what holds it (this timer itself holds nothing)
    setTimeout(() => tellParent({ lingering: process.getActiveResourcesInfo() }), 3000).unref();
  });
});
