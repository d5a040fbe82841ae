import { expect } from 'chai';
import { DeadlineQueue } from '../../../lib/amqp/deadline-queue';

/** Resolves once `n` of the returned callbacks have run, with the order they ran in. */
function firing(n: number): { readonly fired: string[]; readonly done: Promise<string[]>; readonly fire: (name: string) => () => void } {
  const fired: string[] = [];
  let resolve!: (v: string[]) => void;
  const done = new Promise<string[]>((r) => (resolve = r));
  return {
    fired,
    done,
    fire: (name) => () => {
      fired.push(name);
      if (fired.length === n) resolve(fired);
    },
  };
}

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('DeadlineQueue (every deadline on one timer)', () => {
  it('fires entries of different durations in due order, each once', async () => {
    const q = new DeadlineQueue();
    const f = firing(4);
    q.add(40, f.fire('40'));
    q.add(10, f.fire('10'));
    q.add(25, f.fire('25'));
    q.add(10, f.fire('10b'));
    expect(await f.done).to.deep.equal(['10', '10b', '25', '40']);
    expect(q.size).to.equal(0);
  });

  it('does not fire a cancelled entry, and cancelling twice or after firing is harmless', async () => {
    const q = new DeadlineQueue();
    const f = firing(2);
    const cancelFirst = q.add(5, f.fire('first'));
    q.add(5, f.fire('second'));
    const cancelMiddle = q.add(5, f.fire('middle'));
    q.add(15, f.fire('last'));
    cancelFirst();
    cancelFirst();
    cancelMiddle();
    expect(q.size).to.equal(2);
    expect(await f.done).to.deep.equal(['second', 'last']);
    cancelMiddle();
    expect(q.size).to.equal(0);
  });

  it('holds one Node timer however many deadlines are pending, and none once they are gone', async () => {
    await Promise.resolve(); // mocha arms its own test timer once the test has gone async
    const before = timers();
    const q = new DeadlineQueue();
    const cancels = Array.from({ length: 1000 }, (_, i) => q.add(60_000 + (i % 7), () => undefined));
    expect(timers()).to.equal(before + 1);
    for (const c of cancels) c();
    expect(timers()).to.equal(before);
  });

  it('lets a callback add and cancel entries while the queue fires', async () => {
    const q = new DeadlineQueue();
    const f = firing(2);
    let cancelVictim: () => void = () => undefined;
    q.add(5, () => {
      f.fire('first')();
      cancelVictim();
      q.add(5, f.fire('added'));
    });
    cancelVictim = q.add(5, f.fire('victim'));
    expect(await f.done).to.deep.equal(['first', 'added']);
  });

  it('fires a deadline of 0 or less on a later turn, never during add', async () => {
    const q = new DeadlineQueue();
    const f = firing(2);
    q.add(0, f.fire('zero'));
    q.add(-5, f.fire('negative'));
    expect(f.fired).to.deep.equal([]);
    expect((await f.done).sort()).to.deep.equal(['negative', 'zero']);
  });

  it('keeps a deadline past the 2^31-1 ms Node takes pending instead of firing it at once', async () => {
    const q = new DeadlineQueue();
    const f = firing(1);
    let far = false;
    const cancel = q.add(2 ** 31 + 5000, () => (far = true));
    q.add(20, f.fire('near'));
    await f.done;
    expect(far).to.equal(false);
    expect(q.size).to.equal(1);
    cancel();
  });
});
