/**
 * 200,000 calls through one transport (the embedded broker, in a child process run with
 * --expose-gc): the heap after a full GC stays flat between the warm-up checkpoint and the
 * end. Bounded in time: the run stops at its budget and says how many calls it made (set
 * OSLO_RX_FAULT_HEAP_BUDGET_MS to run all 200,000 on a slow machine).
 */
import { expect } from 'chai';
import { spawnNodeChild } from '../support/node-child';
import { reportFigures } from '../support/fault-figures';

const TARGET = 200_000;
const WARMUP = 10_000;
const CONCURRENCY = 100;
const BUDGET_MS = Number(process.env.OSLO_RX_FAULT_HEAP_BUDGET_MS || 30_000);
/** The most the heap may grow between the checkpoints. */
const MAX_GROWTH_MIB = 5;
/** Calls after the warm-up below which a run says too little to judge. */
const MIN_MEASURED = 2 * WARMUP;
const MiB = 1024 * 1024;

describe(`faults: ${TARGET.toLocaleString('en')} calls through one transport (the embedded broker, --expose-gc child)`, function () {
  this.timeout(BUDGET_MS + 120_000);

  it(`heap after GC grows less than ${MAX_GROWTH_MIB} MiB from the ${WARMUP.toLocaleString('en')}-call checkpoint to the end`, async () => {
    const child = spawnNodeChild('spec/faults/children/many-calls.ts', [String(TARGET), String(CONCURRENCY), String(WARMUP), String(BUDGET_MS)], ['--expose-gc']);
    try {
      const done = (await child.message('the run to end', (m) => m.done === true, BUDGET_MS + 90_000)) as { ok: number; failed: number; ms: number };
      const [first, last] = child.messages.filter((m) => 'checkpoint' in m) as { checkpoint: number; heap: number; rss: number; ms: number }[];
      const growthMiB = (last.heap - first.heap) / MiB;
      reportFigures('calls through one transport', {
        calls: done.ok + done.failed,
        ok: done.ok,
        failed: done.failed,
        checkpoints: `${first.checkpoint}→${last.checkpoint}`,
        heapMiB: `${(first.heap / MiB).toFixed(1)}→${(last.heap / MiB).toFixed(1)}`,
        heapGrowthMiB: growthMiB.toFixed(2),
        bytesPerCall: ((last.heap - first.heap) / (last.checkpoint - first.checkpoint)).toFixed(1),
        rssMiB: `${(first.rss / MiB).toFixed(0)}→${(last.rss / MiB).toFixed(0)}`,
        callsPerSecond: Math.round((done.ok + done.failed) / (done.ms / 1000)),
        ms: done.ms,
      });
      expect(done.failed, 'failed calls').to.equal(0);
      expect(last.checkpoint - first.checkpoint, 'calls measured after the warm-up (the machine is too slow for the budget)').to.be.at.least(MIN_MEASURED);
      expect(growthMiB, 'heap growth after GC, MiB').to.be.below(MAX_GROWTH_MIB);
    } finally {
      await child.kill();
    }
  });
});
