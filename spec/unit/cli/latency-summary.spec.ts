import { expect } from 'chai';
import { latencyLine, quantile, summarizeLatencies } from '../../../lib/cli/latency-summary';

describe('the latency summary of oslo-rx call --count', () => {
  it('takes quantiles by the nearest-rank rule', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(quantile(sorted, 0.5)).to.equal(50);
    expect(quantile(sorted, 0.99)).to.equal(99);
    expect(quantile(sorted, 1)).to.equal(100);
    expect(quantile([7], 0.99)).to.equal(7);
    expect(quantile([], 0.5)).to.be.NaN;
  });

  it('summarizes any order of latencies, with the rate over the wall time', () => {
    const s = summarizeLatencies([30, 10, 20, 40], 1, 2000);
    expect(s).to.deep.equal({ count: 4, failed: 1, perSecond: 2, p50Ms: 20, p99Ms: 40 });
    expect(latencyLine(s, 'call', 2)).to.equal('4 calls at concurrency 2: 2 calls/s, p50 20.0 ms, p99 40.0 ms, 1 failed');
    expect(latencyLine(summarizeLatencies([1.234], 0, 10), 'call', 1)).to.equal('1 calls at concurrency 1: 100 calls/s, p50 1.23 ms, p99 1.23 ms, 0 failed');
  });
});
