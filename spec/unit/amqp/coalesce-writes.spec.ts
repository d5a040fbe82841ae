import { expect } from 'chai';
import { Writable } from 'node:stream';
import { coalesceWrites } from '../../../lib/amqp/coalesce-writes';

/** A sink that records each write it is handed (one entry per system call a socket would make). */
function recordingSink(): { readonly sink: Writable; readonly calls: Buffer[][] } {
  const calls: Buffer[][] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      calls.push([chunk]);
      done();
    },
    writev(chunks, done) {
      calls.push(chunks.map((c) => c.chunk as Buffer));
      done();
    },
  });
  return { sink, calls };
}

const turn = () => new Promise<void>((r) => setImmediate(r));

describe('coalesceWrites (one socket write per turn of the event loop)', () => {
  it('hands the frames written in one tick to the socket as one write, in order', async () => {
    const { sink, calls } = recordingSink();
    coalesceWrites(sink);
    sink.write(Buffer.from('transfer'));
    sink.write(Buffer.from('disposition'));
    process.nextTick(() => sink.write(Buffer.from('flow')));
    await Promise.resolve().then(() => sink.write(Buffer.from('next-transfer')));
    expect(calls).to.deep.equal([]);
    await turn();
    expect(calls.map((c) => c.map(String))).to.deep.equal([['transfer', 'disposition', 'flow', 'next-transfer']]);
  });

  it('writes again on a later turn, and a lone frame still goes out', async () => {
    const { sink, calls } = recordingSink();
    coalesceWrites(sink);
    sink.write(Buffer.from('a'));
    await turn();
    sink.write(Buffer.from('b'));
    await turn();
    expect(calls.map((c) => c.map(String))).to.deep.equal([['a'], ['b']]);
  });

  it('keeps write callbacks and its return value', async () => {
    const { sink } = recordingSink();
    coalesceWrites(sink);
    let called = false;
    const ok = sink.write(Buffer.from('x'), () => (called = true));
    expect(ok).to.equal(true);
    await turn();
    await turn();
    expect(called).to.equal(true);
  });
});
