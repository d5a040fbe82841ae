import { expect } from 'chai';
import { NEVER, Subject, concat, of, race, switchMap, throwError, timer } from 'rxjs';
import { ackBatch } from '../../../lib/operators/ack-batch';

/** An item that records how it was settled; like a delivery, the first settlement wins. */
function item(name: string) {
  let settled: 'ack' | 'requeue' | undefined;
  return {
    name,
    get settled() {
      return settled;
    },
    ack: () => (settled === undefined ? ((settled = 'ack'), true) : false),
    requeue: () => (settled === undefined ? ((settled = 'requeue'), true) : false),
  };
}

describe('ackBatch', () => {
  it('acks every item when the work completes', () => {
    const batch = [item('a'), item('b')];
    of(1).pipe(ackBatch(batch)).subscribe();
    expect(batch.map((i) => i.settled)).to.deep.equal(['ack', 'ack']);
  });

  it('requeues every item when the work errors, and passes the error on', () => {
    const batch = [item('a'), item('b')];
    let error: unknown;
    throwError(() => new Error('boom')).pipe(ackBatch(batch)).subscribe({ error: (e) => (error = e) });
    expect(batch.map((i) => i.settled)).to.deep.equal(['requeue', 'requeue']);
    expect((error as Error).message).to.equal('boom');
  });

  it('requeues every item when the work is unsubscribed before it ends', () => {
    const batch = [item('a'), item('b')];
    const sub = NEVER.pipe(ackBatch(batch)).subscribe();
    expect(batch.map((i) => i.settled)).to.deep.equal([undefined, undefined]);
    sub.unsubscribe();
    expect(batch.map((i) => i.settled)).to.deep.equal(['requeue', 'requeue']);
  });

  it('requeues batches whose work switchMap cancels, and acks the one that finishes', () => {
    const batches = new Subject<ReturnType<typeof item>[]>();
    const first = [item('a')];
    const second = [item('b')];
    const work = new Subject<void>();
    batches.pipe(switchMap((b) => concat(work.pipe(switchMap(() => of(1))), of(2)).pipe(ackBatch(b)))).subscribe();
    batches.next(first);
    batches.next(second); // cancels the first batch's work
    expect(first[0].settled).to.equal('requeue');
    work.complete();
    expect(second[0].settled).to.equal('ack');
  });

  it('leaves items settled already as they are, and settles a losing race once', async () => {
    const batch = [item('a'), item('b')];
    batch[0].ack();
    await new Promise<void>((resolve) => race(NEVER.pipe(ackBatch(batch)), timer(1)).subscribe({ complete: resolve }));
    expect(batch.map((i) => i.settled)).to.deep.equal(['ack', 'requeue']);
  });

  describe('failureStrategy', () => {
    /** An item with a delivery that records reject and modify. */
    function withDelivery(name: string) {
      const base = item(name);
      const calls: string[] = [];
      return Object.assign(base, {
        calls,
        delivery: {
          reject: (c: { condition: string; description?: string }) => (calls.push(`reject ${c.condition} ${c.description}`), true),
          modify: (o?: { deliveryFailed?: boolean }) => (calls.push(`modify failed=${o?.deliveryFailed}`), true),
        },
      });
    }

    it("'reject' rejects every item with amqp:internal-error and the error's message", () => {
      const batch = [withDelivery('a'), withDelivery('b')];
      throwError(() => new TypeError('bad row')).pipe(ackBatch(batch, { failureStrategy: 'reject' })).subscribe({ error: () => undefined });
      expect(batch.map((i) => i.calls)).to.deep.equal([['reject amqp:internal-error TypeError: bad row'], ['reject amqp:internal-error TypeError: bad row']]);
      expect(batch.map((i) => i.settled)).to.deep.equal([undefined, undefined]);
    });

    it("'modified-failed' modifies every item with delivery-failed; 'accept' acks them", () => {
      const modified = [withDelivery('a')];
      throwError(() => new Error('x')).pipe(ackBatch(modified, { failureStrategy: 'modified-failed' })).subscribe({ error: () => undefined });
      expect(modified[0].calls).to.deep.equal(['modify failed=true']);
      const accepted = [withDelivery('b')];
      throwError(() => new Error('x')).pipe(ackBatch(accepted, { failureStrategy: 'accept' })).subscribe({ error: () => undefined });
      expect(accepted[0].settled).to.equal('ack');
    });

    it('a function picks the outcome from the error; an item without a delivery is requeued instead of rejected', () => {
      const a = withDelivery('a');
      const batch = [a, item('b')];
      const strategy = (e: unknown) => ((e as Error).message === 'poison' ? 'reject' : 'requeue') as 'reject' | 'requeue';
      throwError(() => new Error('poison')).pipe(ackBatch(batch, { failureStrategy: strategy })).subscribe({ error: () => undefined });
      expect(a.calls).to.deep.equal(['reject amqp:internal-error Error: poison']);
      expect(batch[1].settled).to.equal('requeue');
    });

    it('still requeues a cancelled batch whatever the strategy', () => {
      const batch = [withDelivery('a')];
      NEVER.pipe(ackBatch(batch, { failureStrategy: 'reject' })).subscribe().unsubscribe();
      expect(batch[0].settled).to.equal('requeue');
      expect(batch[0].calls).to.deep.equal([]);
    });
  });
});
