import { expect } from 'chai';
import { CREDIT_IDLE_FLUSH_MS, CreditWindow, type IdleScheduler } from '../../../lib/amqp/credit-window';

/** A clock the test moves by hand: what is due runs on tick. */
class ManualClock {
  private now = 0;
  private readonly due: { at: number; run: () => void; cancelled: boolean }[] = [];
  readonly schedule: IdleScheduler = (run, ms) => {
    const entry = { at: this.now + ms, run, cancelled: false };
    this.due.push(entry);
    return () => (entry.cancelled = true);
  };
  tick(ms: number): void {
    this.now += ms;
    for (const e of this.due.splice(0)) {
      if (e.cancelled) continue;
      if (e.at <= this.now) e.run();
      else this.due.push(e);
    }
  }
}

let clock: ManualClock;

/** A link as the sender sees it: credit it may use, deliveries the application holds. */
function link(window: number) {
  const grants: number[] = [];
  let alive = true;
  const credit = new CreditWindow(window, (n) => grants.push(n), () => alive, CREDIT_IDLE_FLUSH_MS, clock.schedule);
  let linkCredit = 0;
  let held = 0;
  const state = {
    credit,
    grants,
    get linkCredit() {
      return linkCredit + grants.reduce((a, b) => a + b, 0);
    },
    get held() {
      return held;
    },
    /** The sender sends one delivery (it must have credit). */
    deliver() {
      if (state.linkCredit <= 0) throw new Error('the sender has no credit');
      linkCredit--;
      held++;
      credit.received();
    },
    settle() {
      held--;
      credit.settled();
    },
    die() {
      alive = false;
    },
  };
  return state;
}

const turn = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('CreditWindow: receiver credit refilled at a low-water mark', () => {
  beforeEach(() => (clock = new ManualClock()));

  it('grants the whole window on open', () => {
    const l = link(10);
    l.credit.open();
    expect(l.grants).to.deep.equal([10]);
    expect(l.credit.outstanding).to.equal(10);
  });

  it('holds back the credit of a settlement while more than half the window is unused, then returns it in one grant after the idle delay', async () => {
    const l = link(10);
    l.credit.open();
    for (let i = 0; i < 3; i++) {
      l.deliver();
      l.settle();
    }
    await turn();
    expect(l.grants, 'no flow frame per settlement').to.deep.equal([10]);
    clock.tick(CREDIT_IDLE_FLUSH_MS - 1);
    expect(l.grants).to.deep.equal([10]);
    clock.tick(1);
    expect(l.grants).to.deep.equal([10, 3]);
    expect(l.linkCredit).to.equal(10);
  });

  it('returns owed credit at once (one grant per turn) when half the window or more is in use', async () => {
    const l = link(10);
    l.credit.open();
    for (let i = 0; i < 5; i++) l.deliver();
    l.settle();
    l.settle();
    expect(l.grants, 'gathered until the end of the turn').to.deep.equal([10]);
    await turn();
    expect(l.grants).to.deep.equal([10, 2]);
    clock.tick(CREDIT_IDLE_FLUSH_MS * 2);
    expect(l.grants, 'no second grant from the idle timer').to.deep.equal([10, 2]);
  });

  it('returns owed credit when deliveries bring the unused credit down to the mark, not only on settlement', async () => {
    const l = link(10);
    l.credit.open();
    for (let i = 0; i < 4; i++) {
      l.deliver();
      l.settle();
    }
    await turn();
    expect(l.grants).to.deep.equal([10]);
    // the application now holds what comes: the sender must still get the 4 units back
    for (let i = 0; i < 6; i++) l.deliver();
    await turn();
    expect(l.grants).to.deep.equal([10, 4]);
    expect(l.linkCredit + l.held, 'credit plus held deliveries is the window').to.equal(10);
  });

  it('a link with credit 1 keeps flowing, one delivery at a time', async () => {
    const l = link(1);
    l.credit.open();
    for (let i = 0; i < 5; i++) {
      l.deliver();
      expect(l.linkCredit).to.equal(0);
      l.settle();
      await turn();
      expect(l.linkCredit, `after settlement ${i + 1}`).to.equal(1);
    }
  });

  it('a slow consumer holding its whole window gets one unit back per settlement, never more than the window', async () => {
    const l = link(10);
    l.credit.open();
    for (let i = 0; i < 10; i++) l.deliver();
    for (let i = 0; i < 20; i++) {
      l.settle();
      await turn();
      expect(l.linkCredit).to.equal(1);
      l.deliver();
      expect(l.held).to.equal(10);
    }
    clock.tick(CREDIT_IDLE_FLUSH_MS * 5);
    expect(l.linkCredit + l.held).to.equal(10);
  });

  it('never exceeds the window, whatever the order of deliveries and settlements', async () => {
    const l = link(7);
    l.credit.open();
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let step = 0; step < 2000; step++) {
      const r = random();
      if (r < 0.45 && l.linkCredit > 0) l.deliver();
      else if (r < 0.9 && l.held > 0) l.settle();
      else if (r < 0.95) await turn();
      else clock.tick(CREDIT_IDLE_FLUSH_MS);
      expect(l.linkCredit + l.held, `step ${step}`).to.be.at.most(7);
    }
    while (l.held > 0) l.settle();
    await turn();
    clock.tick(CREDIT_IDLE_FLUSH_MS);
    expect(l.linkCredit, 'all of it back once everything is settled').to.equal(7);
  });

  it('returns nothing once stopped, nor to a link that is gone', async () => {
    const stopped = link(4);
    stopped.credit.open();
    stopped.deliver();
    stopped.deliver();
    stopped.deliver();
    stopped.credit.stop();
    stopped.settle();
    await turn();
    clock.tick(CREDIT_IDLE_FLUSH_MS);
    expect(stopped.grants).to.deep.equal([4]);
    const gone = link(4);
    gone.credit.open();
    gone.deliver();
    gone.settle();
    gone.die();
    clock.tick(CREDIT_IDLE_FLUSH_MS);
    expect(gone.grants).to.deep.equal([4]);
  });
});
