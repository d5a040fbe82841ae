/**
 * A pipeline: a listener stream piped into a processor that works on at most 4
 * notifications at once (`mergeMap(..., 4)`), acks what it processed and requeues what
 * failed, so a failed notification comes back and is processed again.
 *
 *   npx tsx examples/pipeline.ts                       # embedded broker, self-contained
 *   npx tsx examples/pipeline.ts --url amqp://127.0.0.1:5672 [--count 40]
 */
import { type Observable, catchError, defer, filter, firstValueFrom, lastValueFrom, map, mergeMap, of, range, scan, share, tap, timeout, timer } from 'rxjs';
import { type IncomingNotification, Notifier, createTransport, notificationListener } from '../lib';
import { runExample } from './support/run-example';

/** Notifications processed at once. */
const CONCURRENCY = 4;

runExample(
  async ({ url, options }) => {
    const total = Number(options.count);
    // On a broker a requeued notification is delivered again by the broker; on a router
    // (no storage) it goes back to the notifier, which resends it after link_retry_delay:
    // 1 s here instead of oslo's 10 s.
    const transport = createTransport(url, { linkRetryDelayMs: 1000 });
    const topic = `pipeline-example-${process.pid}`;
    const attempts = new Map<number, number>();
    let inFlight = 0;
    let mostInFlight = 0;

    /** The work on one notification: 20-60 ms; every seventh fails on its first attempt. */
    const processOne = (n: IncomingNotification): Observable<number> =>
      defer(() => {
        const seq = (n.payload as { seq: number }).seq;
        const attempt = (attempts.get(seq) ?? 0) + 1;
        attempts.set(seq, attempt);
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        return timer(20 + (seq % 5) * 10).pipe(
          map(() => {
            if (seq % 7 === 0 && attempt === 1) throw new Error(`seq ${seq}: downstream unavailable`);
            return seq;
          }),
          tap({ finalize: () => inFlight-- }),
        );
      });

    const processed = notificationListener(transport, [{ topic }], { credit: 50 }).pipe(
      mergeMap(
        (n) =>
          processOne(n).pipe(
            tap(() => n.ack()), // done: acknowledge it
            catchError((e: Error) => {
              console.log(`${e.message}: requeued`);
              n.requeue(); // failed: give it back, it is delivered again
              return of(undefined);
            }),
          ),
        CONCURRENCY, // at most CONCURRENCY notifications in the processor; the rest wait in link credit
      ),
      filter((seq): seq is number => seq !== undefined),
      share(),
    );
    const allDone = firstValueFrom(
      processed.pipe(
        scan((done, seq) => done.add(seq), new Set<number>()),
        filter((done) => done.size === total),
        timeout(30_000),
      ),
    );

    const notifier = new Notifier(transport, { publisherId: 'example.pipeline', topics: [topic] });
    await lastValueFrom(range(1, total).pipe(mergeMap((seq) => notifier.info({}, 'example.work', { seq }), 20)), { defaultValue: undefined });
    console.log(`sent ${total} notifications`);
    await allDone;
    const retried = [...attempts.values()].filter((a) => a > 1).length;
    console.log(`all ${total} processed; ${retried} after a requeue; at most ${mostInFlight} in flight (bound: ${CONCURRENCY})`);
    if (mostInFlight > CONCURRENCY) throw new Error('the concurrency bound was exceeded');
    await transport.close();
  },
  { count: '40' },
);
