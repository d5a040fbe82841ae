import { expect } from 'chai';
import { ConnectionLost, healthOf, ReceiverRegistry, type ReceiversStatus } from '../../../lib/amqp';

const none: ReceiversStatus = { wanted: 0, attached: 0, detached: [] };

describe('healthOf', () => {
  it('is ready only while open with every receiver attached', () => {
    const open = { state: 'open', host: 'h:1', addressing: 'legacy' } as const;
    expect(healthOf(open, none)).to.deep.equal({ live: true, ready: true });
    expect(healthOf(open, { wanted: 2, attached: 2, detached: [] })).to.deep.equal({ live: true, ready: true });
    expect(healthOf(open, { wanted: 2, attached: 1, detached: ['q'] })).to.deep.equal({ live: true, ready: false, reason: '1 of 2 receivers not attached: "q"' });
  });

  it('is live and not ready while connecting or disconnected, whatever the receivers', () => {
    expect(healthOf({ state: 'connecting', host: 'h:1', attempt: 2 }, none)).to.deep.equal({ live: true, ready: false, reason: 'connecting to h:1 (attempt 2)' });
    const down = healthOf({ state: 'disconnected', host: 'h:1', error: new ConnectionLost('gone'), retryInMs: 1000 }, none);
    expect(down).to.deep.include({ live: true, ready: false });
    expect(down.reason).to.match(/^disconnected from h:1: .*gone.*; retry in 1000 ms$/);
  });

  it('is not live once closed, saying whether it failed', () => {
    expect(healthOf({ state: 'closed' }, none)).to.deep.equal({ live: false, ready: false, reason: 'closed' });
    expect(healthOf({ state: 'closed', error: new ConnectionLost('bad') }, none).reason).to.match(/^failed for good: .*bad/);
  });
});

describe('ReceiverRegistry', () => {
  it('counts wanted and attached receivers; a stale link going does not detach the new one', () => {
    const r = new ReceiverRegistry();
    const seen: ReceiversStatus[] = [];
    r.status$.subscribe((s) => seen.push(s));
    const slot = r.want('(dynamic)');
    expect(r.status).to.deep.equal({ wanted: 1, attached: 0, detached: ['(dynamic)'] });
    const goneFirst = slot.attached('reply-1');
    expect(r.status).to.deep.equal({ wanted: 1, attached: 1, detached: [] });
    goneFirst();
    expect(r.status).to.deep.equal({ wanted: 1, attached: 0, detached: ['reply-1'] });
    const goneSecond = slot.attached('reply-2');
    goneFirst();
    expect(r.status.attached).to.equal(1);
    goneSecond();
    slot.release();
    expect(r.status).to.deep.equal({ wanted: 0, attached: 0, detached: [] });
    expect(seen.map((s) => s.attached)).to.deep.equal([0, 0, 1, 0, 1, 0, 0]);
  });
});
