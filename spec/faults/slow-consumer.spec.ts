/**
 * A slow consumer (a child process acking 1 notification a second) while 50,000 arrive:
 * it holds exactly its credit unsettled, its memory stays flat, and the rest stays on the
 * broker.
 */
import { expect } from 'chai';
import { lastValueFrom, mergeMap, range } from 'rxjs';
import { Notifier, type Transport, createTransport } from '../../lib';
import { startEmbeddedIntermediary } from '../../lib/testing';
import { spawnNodeChild } from '../support/node-child';
import { reportFigures } from '../support/fault-figures';
import { uniqueName, until, within } from '../support/wait';

const TOTAL = 50_000;
const CREDIT = 10;
const MIN_RUN_MS = 10_000;
const MiB = 1024 * 1024;

describe('faults: a slow consumer (1 ack/s) while 50,000 notifications arrive (the embedded broker)', function () {
  this.timeout(120_000);
  let transport: Transport | undefined;

  afterEach(async () => {
    await transport?.close();
  });

  it(`holds exactly its credit (${CREDIT}) unsettled, its memory stays flat, and the rest stays on the broker`, async () => {
    // deep enough for all of them (the default, 10,000, blocks senders past it)
    const broker = await startEmbeddedIntermediary({ mode: 'broker', maxQueueDepth: 2 * TOTAL });
    const topic = uniqueName('slow');
    const consumer = spawnNodeChild('spec/faults/children/slow-consumer.ts', [broker.url, topic, String(CREDIT)]);
    try {
      await consumer.message('ready', (m) => m.ready === true, 20_000);
      transport = createTransport(broker.url);
      const notifier = new Notifier(transport, { publisherId: 'faults', topics: [topic] });
      const started = Date.now();
      // the credit's worth first, so the first sample after it is the baseline
      await lastValueFrom(range(0, CREDIT).pipe(mergeMap((i) => notifier.info({}, 'slow', { i }))), { defaultValue: undefined });
      const baseline = await consumer.message('a sample holding the credit', (m) => m.held === CREDIT, 10_000);
      const samplesFrom = consumer.messages.indexOf(baseline);
      await within(
        lastValueFrom(range(CREDIT, TOTAL - CREDIT).pipe(mergeMap((i) => notifier.info({}, 'slow', { i, pad: 'x'.repeat(100) }), 200)), { defaultValue: undefined }),
        `${TOTAL} notifications accepted by the broker`,
        90_000,
      );
      const sendMs = Date.now() - started;
      // a run of at least MIN_RUN_MS, counted in the consumer's own 1 s samples since the baseline
      const sampleCount = () => consumer.messages.slice(samplesFrom).filter((m) => 'held' in m).length;
      await consumer.message(`a run of at least ${MIN_RUN_MS} ms`, () => sampleCount() >= MIN_RUN_MS / 1000, MIN_RUN_MS + 15_000);
      const samples = consumer.messages.slice(samplesFrom).filter((m) => 'held' in m) as { held: number; received: number; acked: number; rss: number; heap: number }[];
      const last = samples[samples.length - 1];
      const stats = broker.stats();
      // stopped, the consumer closes its transport: what it holds goes back to the queue
      consumer.tell({ stop: true });
      const final = (await consumer.message('its final counts', (m) => m.stopped === true, 10_000)) as { acked: number; received: number };
      await consumer.exit(10_000);
      const acked = final.acked;
      await until(() => broker.stats().queued === TOTAL - acked, 'the held notifications back on the broker', 10_000).catch(() => undefined);
      const afterStop = broker.stats().queued;
      const figures = {
        sent: TOTAL,
        received: last.received,
        acked,
        heldEachSecond: samples.map((s) => s.held).join(','),
        onBroker: stats.queued,
        inFlight: TOTAL - stats.queued - last.received,
        onBrokerAfterStop: afterStop,
        lost: TOTAL - afterStop - acked,
        rssGrowthMiB: (Math.max(...samples.map((s) => s.rss)) - (baseline.rss as number)) / MiB,
        heapGrowthMiB: (Math.max(...samples.map((s) => s.heap)) - (baseline.heap as number)) / MiB,
        runMs: Date.now() - started,
        sendMs,
      };
      reportFigures('slow consumer on the embedded broker', { ...figures, rssGrowthMiB: figures.rssGrowthMiB.toFixed(1), heapGrowthMiB: figures.heapGrowthMiB.toFixed(1) });
      expect(samples.length, 'samples over the run').to.be.at.least(MIN_RUN_MS / 1000);
      // at most its credit; a sample may catch the round trip between an ack and the next delivery
      expect(Math.max(...samples.map((s) => s.held)), 'most unsettled notifications the consumer held').to.equal(CREDIT);
      expect(samples.filter((s) => s.held === CREDIT).length, 'samples holding exactly the credit').to.be.at.least(samples.length / 2);
      // the sample is taken just before an ack; one delivery may be crossing it
      expect(figures.inFlight, 'deliveries neither on the broker nor counted by the consumer').to.be.within(0, 1);
      expect(figures.lost, 'lost').to.equal(0);
      expect(figures.rssGrowthMiB, 'consumer RSS growth, MiB').to.be.below(30);
      expect(figures.heapGrowthMiB, 'consumer heap growth, MiB').to.be.below(10);
    } finally {
      await consumer.kill();
      await broker.stop();
    }
  });
});
