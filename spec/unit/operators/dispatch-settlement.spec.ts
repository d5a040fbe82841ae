import { expect } from 'chai';
import { NEVER, Subject, lastValueFrom, of } from 'rxjs';
import { dispatch } from '../../../lib/operators/dispatch';
import type { IncomingRequest } from '../../../lib/rpc/incoming-request';
import { IncomingDelivery } from '../../../lib/amqp/incoming-delivery';

/** A cast request that records how it was settled (first settlement wins, like a delivery). */
function castRequest(method: string) {
  const settled: string[] = [];
  const r = {
    method,
    args: {},
    context: {},
    isCall: false,
    isAnswered: false,
    reply: () => Promise.resolve(),
    fail: () => Promise.resolve(),
    heartbeat: () => Promise.resolve(),
    ack: () => (settled.length ? false : (settled.push('ack'), true)),
    requeue: () => (settled.length ? false : (settled.push('requeue'), true)),
    withTraceContext: <T>(fn: () => T): T => fn(),
  };
  return { request: r as unknown as IncomingRequest, settled };
}

describe('dispatch settlement', () => {
  it('acks a request once its method has run', async () => {
    const { request, settled } = castRequest('run');
    const done = await lastValueFrom(of(request).pipe(dispatch([{ run: () => 1 }])));
    expect(done.outcome).to.equal('handled');
    expect(settled).to.deep.equal(['ack']);
  });

  it('requeues a request whose handling is cancelled by unsubscribing, instead of acking it', () => {
    const { request, settled } = castRequest('hang');
    const source = new Subject<IncomingRequest>();
    const sub = source.pipe(dispatch([{ hang: () => NEVER }])).subscribe();
    source.next(request);
    expect(settled).to.deep.equal([]);
    sub.unsubscribe();
    expect(settled).to.deep.equal(['requeue']);
  });

  it('requeues on cancel even with autoAck off, so no request keeps its credit', () => {
    const { request, settled } = castRequest('hang');
    const sub = of(request).pipe(dispatch([{ hang: () => NEVER }], { autoAck: false })).subscribe();
    sub.unsubscribe();
    expect(settled).to.deep.equal(['requeue']);
  });
});

describe('IncomingDelivery.discard (late replies)', () => {
  function delivery(modifiedAsReleased: boolean) {
    const frames: string[] = [];
    const raw = {
      remote_settled: false,
      accept: () => frames.push('accepted'),
      release: () => frames.push('released'),
      modified: (o: { undeliverable_here: boolean }) => frames.push(`modified${o.undeliverable_here ? ' undeliverable-here' : ''}`),
      reject: () => frames.push('rejected'),
    };
    const d = new IncomingDelivery({ body: 'x' }, raw as never, { modifiedAsReleased });
    return { d, frames };
  }

  it('settles modified undeliverable-here where the peer takes modified (oslo)', () => {
    const { d, frames } = delivery(false);
    expect(d.discard()).to.equal(true);
    expect(frames).to.deep.equal(['modified undeliverable-here']);
  });

  it('accepts (drops) it where modified would come back as released forever (RabbitMQ 3.x)', () => {
    const { d, frames } = delivery(true);
    expect(d.discard()).to.equal(true);
    expect(frames).to.deep.equal(['accepted']);
    expect(d.discard()).to.equal(false);
  });
});
