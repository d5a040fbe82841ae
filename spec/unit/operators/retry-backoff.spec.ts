import { expect } from 'chai';
import { TestScheduler } from 'rxjs/testing';
import { ConnectionLost, InvalidTarget, retryBackoff } from '../../../lib';

describe('retryBackoff', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
  });

  it('retries retryable errors on oslo schedule (1 s, 2 s, 4 s) and then gives up', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const lost = new ConnectionLost('gone');
      const source = cold('#', undefined, lost);
      expectObservable(source.pipe(retryBackoff({ count: 3, scheduler }))).toBe('7s #', undefined, lost);
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '1s (^!)', '3s (^!)', '7s (^!)']);
    });
  });

  it('passes errors that are not retryable at once', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const bad = new InvalidTarget('no topic', {});
      const source = cold('a#', { a: 1 }, bad);
      expectObservable(source.pipe(retryBackoff({ scheduler }))).toBe('a#', { a: 1 }, bad);
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it('caps the delay at maxMs and honours a custom predicate', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#', undefined, new Error('plain'));
      const piped = source.pipe(retryBackoff({ count: 3, initialMs: 100, backoff: 10, maxMs: 500, retryIf: () => true, scheduler }));
      expectObservable(piped).toBe('1100ms #', undefined, new Error('plain'));
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '100ms (^!)', '600ms (^!)', '1100ms (^!)']);
    });
  });
});
