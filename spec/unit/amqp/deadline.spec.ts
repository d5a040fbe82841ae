import { expect } from 'chai';
import { NEVER, Subject, firstValueFrom, of, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { MAX_TIMER_MS, deadline, timerDelay } from '../../../lib/amqp/deadline';
import { MessagingTimeout } from '../../../lib/amqp/errors';

describe('deadline (the one timeout operator)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
  });

  it('errors with MessagingTimeout at the deadline and unsubscribes from the source', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('----------|');
      const error = new MessagingTimeout('call "x" timed out after 5 ms', 5);
      expectObservable(source.pipe(deadline({ ms: 5, what: 'call "x"', scheduler }))).toBe('-----#', undefined, error);
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('lets a source that finishes in time through untouched', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('--a-|').pipe(deadline({ ms: 10, what: 'x', scheduler }))).toBe('--a-|');
    });
  });

  it('restarts the clock on the values restartOn picks (the call monitor)', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('--h--h--h-------r');
      const out = source.pipe(deadline({ ms: 4, what: 'monitor', restartOn: (v) => v === 'h', scheduler }));
      expectObservable(out).toBe('--h--h--h---#', undefined, new MessagingTimeout('monitor timed out after 4 ms', 4));
    });
  });

  it('sets no deadline for Infinity or undefined', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('-'.repeat(50) + 'a|').pipe(deadline({ ms: Infinity, what: 'x', scheduler }))).toBe('-'.repeat(50) + 'a|');
      expectObservable(cold('-'.repeat(50) + 'a|').pipe(deadline({ ms: undefined, what: 'x', scheduler }))).toBe('-'.repeat(50) + 'a|');
    });
  });

  it('clamps deadlines past what Node timers take instead of firing at once', async () => {
    expect(timerDelay(2 ** 31 + 5000)).to.equal(MAX_TIMER_MS);
    expect(timerDelay(Infinity)).to.equal(undefined);
    expect(timerDelay(-5)).to.equal(0);
    // with real timers: a value arriving after 20 ms gets through a 2^31 + 5 s deadline
    const v = await firstValueFrom(timer(20).pipe(deadline({ ms: 2 ** 31 + 5000, what: 'x' })));
    expect(v).to.equal(0);
  });

  it('clears its real timer when the source ends, and on unsubscribe', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    await Promise.resolve(); // mocha arms its own test timer once the test has gone async
    const before = timers();
    const sub = NEVER.pipe(deadline({ ms: 60_000, what: 'x' })).subscribe();
    expect(timers()).to.equal(before + 1);
    sub.unsubscribe();
    expect(timers()).to.equal(before);
    await firstValueFrom(of(1).pipe(deadline({ ms: 60_000, what: 'x' })));
    expect(timers()).to.equal(before);
    const s = new Subject<number>();
    const p = firstValueFrom(s.pipe(deadline({ ms: 60_000, what: 'x' })));
    expect(timers()).to.equal(before + 1);
    s.next(1);
    await p;
    expect(timers()).to.equal(before);
  });
});
