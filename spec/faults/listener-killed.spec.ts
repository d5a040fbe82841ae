/**
 * A listener process SIGKILLed mid-batch: a child process runs a notification listener
 * with `bufferCount` batches whose work never ends, so it holds its credit's worth
 * unacked; killed, its notifications go to the other listener. Lost = 0.
 */
import { expect } from 'chai';
import { lastValueFrom, mergeMap, range, tap } from 'rxjs';
import { type AmqpOptions, Notifier, addressingPresets, notificationListener } from '../../lib';
import { startEmbeddedIntermediary } from '../../lib/testing';
import { testResources } from '../support/test-resources';
import { peerUrl, requirePeer } from '../support/peers';
import { spawnNodeChild } from '../support/node-child';
import { countDeliveries, reportFigures } from '../support/fault-figures';
import { uniqueName, until } from '../support/wait';

const TOTAL = 100;
const CREDIT = 10;
const BATCH = 5;

const intermediaries: { name: string; setup(ctx: Mocha.Context): Promise<{ url: string; stop(): Promise<void> }>; options: Partial<AmqpOptions> }[] = [
  {
    name: 'the embedded broker',
    setup: async () => {
      const b = await startEmbeddedIntermediary({ mode: 'broker' });
      return { url: b.url, stop: () => b.stop() };
    },
    options: {},
  },
  {
    name: 'RabbitMQ 3.10',
    setup: async (ctx) => {
      await requirePeer(ctx, 'rabbitmq');
      return { url: peerUrl('rabbitmq'), stop: async () => undefined };
    },
    options: { ...addressingPresets.rabbitmq3 },
  },
];

for (const intermediary of intermediaries) {
  describe(`faults: a listener process SIGKILLed mid-batch (${intermediary.name})`, function () {
    this.timeout(60_000);
    let target: { url: string; stop(): Promise<void> };
    const res = testResources(intermediary.options);
    const open = () => res.open(target.url);
    before(async function () {
      target = await intermediary.setup(this);
    });
    after(async () => {
      await res.release();
      await target?.stop();
    });

    it(`its ${CREDIT} unacked notifications (${CREDIT / BATCH} batches of ${BATCH}) go to the other listener; none lost`, async () => {
      const topic = uniqueName('killed');
      const victim = spawnNodeChild('spec/faults/children/batch-listener.ts', [target.url, topic, String(CREDIT), String(BATCH), JSON.stringify(intermediary.options)]);
      try {
        await victim.message('ready', (m) => m.ready === true, 20_000);
        const notifier = new Notifier(open(), { publisherId: 'faults', topics: [topic] });
        // the victim takes its credit's worth first, then the other listener joins
        await lastValueFrom(range(0, CREDIT).pipe(mergeMap((i) => notifier.info({}, 'mid.batch', { i }))), { defaultValue: undefined });
        await victim.message(`${CREDIT / BATCH} batches held`, () => victim.messages.filter((m) => 'batch' in m).length >= CREDIT / BATCH, 20_000);
        const survivor: number[] = [];
        res.keep(
          notificationListener(open(), [{ topic }], { priorities: ['info'], credit: CREDIT })
            .pipe(tap((n) => n.ack()))
            .subscribe((n) => survivor.push((n.payload as { i: number }).i)),
        );
        await lastValueFrom(range(CREDIT, TOTAL - CREDIT).pipe(mergeMap((i) => notifier.info({}, 'mid.batch', { i }))), { defaultValue: undefined });
        const killedAt = Date.now();
        await victim.kill();
        await until(() => new Set(survivor).size >= TOTAL, 'the victim\'s notifications to reach the other listener', 30_000).catch(() => undefined);
        const victimGot = victim.messages.filter((m) => 'received' in m).map((m) => m.received as number);
        const count = countDeliveries(range0(TOTAL), survivor);
        reportFigures(`listener killed mid-batch on ${intermediary.name}`, {
          sent: TOTAL,
          receivedByVictim: victimGot.length,
          ackedByVictim: 0,
          receivedByOther: survivor.length,
          ackedByOther: survivor.length,
          redelivered: survivor.filter((i) => victimGot.includes(i)).length,
          lost: count.lost,
          duplicates: count.duplicates,
          redeliveryMs: Date.now() - killedAt,
        });
        expect(victimGot.length, 'the victim held its credit').to.equal(CREDIT);
        expect(count.lost, `lost ids ${count.lostIds.join(',')}`).to.equal(0);
        expect(count.duplicates, 'duplicates at the other listener').to.equal(0);
      } finally {
        await victim.kill();
      }
    });
  });
}

/** 0 … n-1. */
function range0(n: number): number[] {
  return [...Array(n).keys()];
}
