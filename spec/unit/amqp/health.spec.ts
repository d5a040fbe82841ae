import { expect } from 'chai';
import { ConnectionLost, healthOf, ReceiverRegistry, type ReceiversStatus } from '../../../lib/amqp';

const none: ReceiversStatus = { wanted: 0, attached: 0, detached: [], failed: [] };

describe('healthOf', () => {
  it('is ready only while open with every receiver attached', () => {
    const open = { state: 'open', host: 'h:1', addressing: 'legacy' } as const;
    expect(healthOf(open, none)).to.deep.equal({ live: true, ready: true });
    expect(healthOf(open, { wanted: 2, attached: 2, detached: [], failed: [] })).to.deep.equal({ live: true, ready: true });
    expect(healthOf(open, { wanted: 2, attached: 1, detached: ['q'], failed: [] })).to.deep.equal({ live: true, ready: false, reason: '1 of 2 receivers not attached: "q"' });
  });

  it('is not ready while a receiver has failed for good, and says which and why', () => {
    const open = { state: 'open', host: 'h:1', addressing: 'legacy' } as const;
    const h = healthOf(open, { wanted: 1, attached: 1, detached: [], failed: [{ address: 'q', reason: 'link to "q" refused: amqp:unauthorized-access' }] });
    expect(h).to.deep.equal({ live: true, ready: false, reason: 'receiver "q" failed for good: link to "q" refused: amqp:unauthorized-access' });
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
    expect(r.status).to.deep.equal({ wanted: 1, attached: 0, detached: ['(dynamic)'], failed: [] });
    const goneFirst = slot.attached('reply-1');
    expect(r.status).to.deep.equal({ wanted: 1, attached: 1, detached: [], failed: [] });
    goneFirst();
    expect(r.status).to.deep.equal({ wanted: 1, attached: 0, detached: ['reply-1'], failed: [] });
    const goneSecond = slot.attached('reply-2');
    goneFirst();
    expect(r.status.attached).to.equal(1);
    goneSecond();
    slot.release();
    expect(r.status).to.deep.equal({ wanted: 0, attached: 0, detached: [], failed: [] });
    expect(seen.map((s) => s.attached)).to.deep.equal([0, 0, 1, 0, 1, 0, 0]);
  });
});

describe('ReceiverRegistry, receivers that failed for good', () => {
  it('keeps a failed receiver (not ready) after its stream has ended, until a receiver attaches on its address again', () => {
    const r = new ReceiverRegistry();
    const refused = r.want('q');
    refused.failed('refused for good');
    refused.release();
    expect(r.status).to.deep.equal({ wanted: 0, attached: 0, detached: [], failed: [{ address: 'q', reason: 'refused for good' }] });
    // another address attaching changes nothing for q
    r.want('other').attached('other');
    expect(r.status.failed).to.have.length(1);
    // the application subscribed again and it attached this time
    const again = r.want('q');
    expect(r.status.failed).to.have.length(1);
    again.attached('q');
    expect(r.status).to.deep.equal({ wanted: 2, attached: 2, detached: [], failed: [] });
  });

  it('lists a receiver whose address was chosen on connect under the address it had, when it had one', () => {
    const r = new ReceiverRegistry();
    const slot = r.want('(address chosen on connect)');
    slot.attached('topic.info')();
    slot.failed('detached for good');
    slot.release();
    expect(r.status.failed).to.deep.equal([{ address: 'topic.info', reason: 'detached for good' }]);
    const never = r.want('(address chosen on connect)');
    never.failed('refused', 'topic.error');
    never.release();
    expect(r.status.failed.map((f) => f.address)).to.deep.equal(['topic.info', 'topic.error']);
  });
});
