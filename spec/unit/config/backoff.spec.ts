import { expect } from 'chai';
import fc from 'fast-check';
import { DEFAULT_AMQP_OPTIONS, reconnectDelays } from '../../../lib/config';

/** oslo's controller, step by step: wait `delay`, then `delay = min(delay * backoff, max)`. */
function osloSchedule(interval: number, backoff: number, max: number, attempts: number): number[] {
  const delays: number[] = [];
  let delay = interval;
  for (let i = 0; i < attempts; i++) {
    delays.push(delay);
    delay = Math.min(delay * backoff, max);
  }
  return delays;
}

const schedule = (interval: number, backoff: number, max: number, attempts = 8) => {
  const delay = reconnectDelays({ connectionRetryIntervalMs: interval, connectionRetryBackoff: backoff, connectionRetryIntervalMaxMs: max });
  return Array.from({ length: attempts }, (_, i) => delay(i + 1));
};

describe('config: reconnectDelays', () => {
  it('gives 1, 2, 4, 8, 16, 30, 30 s with the defaults', () => {
    const delay = reconnectDelays(DEFAULT_AMQP_OPTIONS);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(delay)).to.deep.equal([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('keeps the interval with backoff 1', () => {
    expect(schedule(3000, 1, 30000, 5)).to.deep.equal([3000, 3000, 3000, 3000, 3000]);
  });

  it("retries at once after the first attempt with backoff 0 (oslo's arithmetic: min(delay * 0, max) = 0)", () => {
    expect(schedule(5000, 0, 30000, 4)).to.deep.equal([5000, 0, 0, 0]);
  });

  it('uses an interval above the maximum once, then the maximum (as oslo)', () => {
    expect(schedule(60000, 2, 30000, 3)).to.deep.equal([60000, 30000, 30000]);
    expect(schedule(60000, 1, 30000, 3)).to.deep.equal([60000, 30000, 30000]);
  });

  it('counts an attempt below 1 as the first, and never overflows', () => {
    const delay = reconnectDelays(DEFAULT_AMQP_OPTIONS);
    expect(delay(0)).to.equal(1000);
    expect(delay(-3)).to.equal(1000);
    expect(delay(10_000)).to.equal(30000);
    expect(delay(Number.MAX_SAFE_INTEGER)).to.equal(30000);
  });

  it("equals oslo's step-by-step schedule for any interval, backoff and maximum (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 120_000 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1000, max: 600_000 }),
        (interval, backoff, max) => {
          expect(schedule(interval, backoff, max, 40)).to.deep.equal(osloSchedule(interval, backoff, max, 40));
        },
      ),
      { numRuns: 500 },
    );
  });
});
