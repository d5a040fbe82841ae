import { expect } from 'chai';
import { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { JITTER, Released, retryDelayMs, retryWhen, withJitter } from '../../../lib/amqp/retry-policy';
import { AuthenticationFailed, ConnectionLost, LinkRefused, MessageDeliveryFailure, MessagingTimeout, TransportClosed } from '../../../lib/amqp/errors';

describe('the retry policy', () => {
  const rules = { linkRetryDelayMs: 1000, resendInDoubt: true, random: () => 0 };

  it('resends a released message and re-attaches a retryable refusal after linkRetryDelayMs', () => {
    expect(retryDelayMs(new Released('x'), rules)).to.equal(1000);
    expect(retryDelayMs(new LinkRefused('q', 'amqp:not-found'), rules)).to.equal(1000);
    expect(retryDelayMs(new LinkRefused('q', 'amqp:resource-deleted'), rules)).to.equal(1000);
  });

  it('adds up to 20% jitter to link delays', () => {
    expect(withJitter(1000, () => 1)).to.equal(1000 * (1 + JITTER));
    expect(retryDelayMs(new Released('x'), { ...rules, random: () => 0.5 })).to.equal(1100);
    expect(withJitter(0, () => 1)).to.equal(0);
  });

  it('resends at once after a connection loss before the write (the retry waits for the next connection)', () => {
    expect(retryDelayMs(new ConnectionLost('gone'), rules)).to.equal(0);
    expect(retryDelayMs(new ConnectionLost('gone'), { ...rules, resendInDoubt: false })).to.equal(0);
  });

  it('resends an in-doubt message only where the caller allows it (not calls)', () => {
    expect(retryDelayMs(new ConnectionLost('gone', undefined, true), rules)).to.equal(0);
    expect(retryDelayMs(new ConnectionLost('gone', undefined, true), { ...rules, resendInDoubt: false })).to.equal(undefined);
  });

  it('never retries what cannot pass', () => {
    for (const e of [
      new LinkRefused('q', 'amqp:unauthorized-access'),
      new LinkRefused('q', 'amqp:not-implemented'),
      new AuthenticationFailed('no'),
      new TransportClosed(),
      new MessageDeliveryFailure('too big'),
      new MessagingTimeout('late'),
      new Error('plain'),
      'a string',
    ]) {
      expect(retryDelayMs(e, rules), String(e)).to.equal(undefined);
    }
  });

  describe('retryWhen', () => {
    let scheduler: TestScheduler;
    beforeEach(() => {
      scheduler = new TestScheduler((a, b) => {
        expect(a).to.deep.equal(b);
      });
    });

    it('resubscribes after each delay until the count is used, then passes the error on', () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-#');
        const out = source.pipe(retryWhen({ count: 2, delayMs: () => 3, scheduler }));
        expectObservable(out).toBe('---------#');
        expectSubscriptions(source.subscriptions).toBe(['^!', '----^!', '--------^!']);
      });
    });

    it('gives up at once when delayMs says so', () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-#');
        expectObservable(source.pipe(retryWhen({ count: -1, delayMs: () => undefined, scheduler }))).toBe('-#');
        expectSubscriptions(source.subscriptions).toBe('^!');
      });
    });

    it('counts attempts from 1 and starts again after a success with resetOnSuccess', () => {
      const seen: number[] = [];
      let n = 0;
      const error = new Error('x');
      const source = new Observable<number>((s) => {
        n++;
        if (n === 3) s.next(n);
        s.error(error);
      });
      scheduler.run(({ expectObservable }) => {
        const out = source.pipe(
          retryWhen({ count: 5, resetOnSuccess: true, scheduler, delayMs: (_e, attempt) => (seen.push(attempt), attempt > 2 ? undefined : 1) }),
        );
        expectObservable(out).toBe('--a-#', { a: 3 }, error);
      });
      expect(seen).to.deep.equal([1, 2, 1, 2, 3]);
    });
  });
});
