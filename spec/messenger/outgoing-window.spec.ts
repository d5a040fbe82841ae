import { expect } from 'chai';
import { Subject, type Subscription } from 'rxjs';
import { OutgoingWindow } from '../../lib/messenger/outgoing-window';

describe('OutgoingWindow', () => {
  /** Operations that end when the test says so. */
  function operations(n: number) {
    const ends = Array.from({ length: n }, () => new Subject<number>());
    const started: number[] = [];
    const op = (i: number) => () => {
      started.push(i);
      return ends[i];
    };
    return { ends, started, op };
  }

  it('runs at most `size` operations, then starts waiting ones in order as slots free up', () => {
    const w = new OutgoingWindow(2);
    const { ends, started, op } = operations(4);
    const values: number[] = [];
    const errors: unknown[] = [];
    for (let i = 0; i < 4; i++) w.run(op(i)).subscribe({ next: (v) => values.push(v), error: (e: unknown) => errors.push(e) });
    expect(started).to.deep.equal([0, 1]);
    expect(w.state).to.deep.equal({ unsettled: 2, queued: 2 });
    ends[1].next(10);
    ends[1].complete();
    expect(started).to.deep.equal([0, 1, 2]);
    ends[0].error(new Error('failed'));
    expect(started).to.deep.equal([0, 1, 2, 3]);
    expect(w.state).to.deep.equal({ unsettled: 2, queued: 0 });
    expect(values).to.deep.equal([10]);
    expect(errors).to.have.length(1);
  });

  it('frees the slot of an unsubscribed operation, and drops an unsubscribed waiter without starting it', () => {
    const w = new OutgoingWindow(1);
    const { started, op } = operations(3);
    const running: Subscription = w.run(op(0)).subscribe();
    const waiting = w.run(op(1)).subscribe();
    w.run(op(2)).subscribe();
    waiting.unsubscribe();
    expect(w.state).to.deep.equal({ unsettled: 1, queued: 1 });
    running.unsubscribe();
    expect(started).to.deep.equal([0, 2]);
    expect(w.state).to.deep.equal({ unsettled: 1, queued: 0 });
  });

  it('lets a new operation wait behind queued ones even when a slot is free for a moment', () => {
    const w = new OutgoingWindow(1);
    const { ends, started, op } = operations(3);
    w.run(op(0)).subscribe();
    w.run(op(1)).subscribe();
    ends[0].complete();
    w.run(op(2)).subscribe();
    expect(started).to.deep.equal([0, 1]);
  });
});
