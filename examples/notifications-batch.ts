/**
 * A notification pipeline that batches with bufferTime(1000, null, 100), processes each
 * batch, acks it, and requeues a batch whose processing fails (it comes back).
 *
 *   npx tsx examples/notifications-batch.ts            # embedded broker, self-contained
 *   npx tsx examples/notifications-batch.ts --url amqp://127.0.0.1:5672
 */
import { parseArgs } from 'node:util';
import { EMPTY, bufferTime, catchError, defer, filter, lastValueFrom, mergeMap, of, range, timer } from 'rxjs';
import { type IncomingNotification, Notifier, ackBatch, createTransport, notificationListener } from '../lib';
import { startEmbeddedIntermediary } from '../lib/testing';

const { values } = parseArgs({ options: { url: { type: 'string' }, count: { type: 'string', default: '250' } } });

async function main(): Promise<void> {
  const embedded = values.url ? undefined : await startEmbeddedIntermediary({ mode: 'broker' });
  const url = values.url ?? embedded!.url;
  const transport = createTransport(url);
  const total = Number(values.count);
  const processed = new Set<number>();
  let batches = 0;
  let failedOnce = false;

  /** The work on one batch: here, "store" the payloads; the second batch fails once. */
  const store = (batch: IncomingNotification[]) =>
    defer(() => {
      batches++;
      if (batches === 2 && !failedOnce) {
        failedOnce = true;
        throw new Error('database unavailable');
      }
      batch.forEach((n) => processed.add((n.payload as { seq: number }).seq));
      return of(batch.length);
    });

  const pipeline = notificationListener(transport, [{ topic: 'notifications' }], { credit: 200 })
    .pipe(
      bufferTime(1000, null, 100),
      filter((batch) => batch.length > 0),
      mergeMap((batch) =>
        store(batch).pipe(
          ackBatch(batch),
          catchError((e: Error) => {
            console.log(`batch of ${batch.length} failed (${e.message}): requeued`);
            return EMPTY;
          }),
        ),
      ),
    )
    .subscribe((n) => console.log(`stored a batch of ${n}; ${processed.size}/${total} notifications processed`));

  const notifier = new Notifier(transport, { publisherId: 'example.host1' });
  await lastValueFrom(range(0, total).pipe(mergeMap((seq) => notifier.info({}, 'example.event', { seq }), 50)), { defaultValue: undefined });
  console.log(`sent ${total} notifications`);

  const deadline = Date.now() + 30_000;
  while (processed.size < total && Date.now() < deadline) await lastValueFrom(timer(100));
  console.log(processed.size === total ? 'all notifications processed exactly once' : `only ${processed.size} processed`);
  pipeline.unsubscribe();
  await transport.close();
  await embedded?.stop();
  process.exit(processed.size === total ? 0 : 1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
