/**
 * A notification listener that takes batches and never finishes working on them, so it
 * holds them unacked until it is killed: `batch-listener.ts URL TOPIC CREDIT BATCH OPTIONS_JSON`.
 * Prints `{"received": i}` for each notification as it arrives and `{"batch": [ids]}` for
 * each batch it starts (and never finishes) working on.
 */
import { NEVER, bufferCount, mergeMap, tap } from 'rxjs';
import { ackBatch, createTransport, notificationListener } from '../../../lib';
import { tellParent } from '../../support/node-child';

const [url, topic, credit, batchSize, options] = process.argv.slice(2);
const transport = createTransport(url, JSON.parse(options || '{}'));
const id = (n: { payload: unknown }) => (n.payload as { i: number }).i;
notificationListener(transport, [{ topic }], { priorities: ['info'], credit: Number(credit) })
  .pipe(
    tap((n) => tellParent({ received: id(n) })),
    bufferCount(Number(batchSize)),
    tap((batch) => tellParent({ batch: batch.map(id) })),
    mergeMap((batch) => NEVER.pipe(ackBatch(batch))),
  )
  .subscribe({ error: (e: unknown) => tellParent({ error: String(e) }) });
void transport.ready().then(() => tellParent({ ready: true }));
