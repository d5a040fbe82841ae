import { expect } from 'chai';
import { Observable, type Subscriber } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { reconnecting, type ReconnectEvent } from '../../../lib/amqp/reconnect';
import { AuthenticationFailed, ConnectionLost } from '../../../lib/amqp/errors';
import type { AmqpConnection } from '../../../lib/amqp/amqp-connection';

/** oslo's schedule with defaults: 1, 2, 4, 8, 16, 30, 30 … seconds. */
const osloDelays = (n: number) => Math.min(1000 * 2 ** (n - 1), 30_000);

describe('reconnecting (retry with backoff and failover)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((a, b) => {
      expect(a).to.deep.equal(b);
    });
  });

  function plan(behaviour: (host: number, attempt: number, s: Subscriber<AmqpConnection>) => void, hostCount = 2) {
    const attempts: Array<{ host: number; at: number }> = [];
    let n = 0;
    return {
      attempts,
      plan: {
        hostCount,
        label: (i: number) => `h${i}:5672`,
        open: (i: number) =>
          new Observable<AmqpConnection>((s) => {
            attempts.push({ host: i, at: scheduler.now() });
            behaviour(i, ++n, s);
          }),
        delayMs: osloDelays,
        scheduler,
      },
    };
  }

  it('waits 1, 2, 4, 8, 16, 30, 30 s between failed attempts and walks the hosts in order', () => {
    scheduler.run(({ expectObservable }) => {
      const p = plan((_h, _n, s) => s.error(new ConnectionLost('refused')));
      const events: ReconnectEvent[] = [];
      expectObservable(reconnecting(p.plan, (e) => events.push(e)), '^ 200s !').toBe('');
      scheduler.flush();
      const gaps = p.attempts.slice(1, 8).map((a, i) => a.at - p.attempts[i].at);
      expect(gaps).to.deep.equal([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
      expect(p.attempts.slice(0, 4).map((a) => a.host)).to.deep.equal([0, 1, 0, 1]);
      const disconnected = events.filter((e) => e.kind === 'disconnected') as Array<{ retryInMs: number }>;
      expect(disconnected.slice(0, 3).map((e) => e.retryInMs)).to.deep.equal([1000, 2000, 4000]);
    });
  });

  it('emits each new connection and resets the schedule once one opens', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const fake = {} as AmqpConnection;
      // attempts 1-2 fail, 3 opens then drops after 5 s, 4 fails, 5 opens
      const p = plan((_h, n, s) => {
        if (n === 3) {
          s.next(fake);
          cold('5s #', {}, new ConnectionLost('dropped')).subscribe({ error: (e) => s.error(e) });
        } else if (n === 5) s.next(fake);
        else s.error(new ConnectionLost('refused'));
      });
      const values = { c: fake };
      // t=0 fail, 1s fail, 3s open (c), 8s drop, 9s fail (delay reset to 1s), 11s open (c)
      expectObservable(reconnecting(p.plan, () => undefined), '^ 20s !').toBe('3s c 7999ms c', values);
    });
  });

  it('does not retry an authentication failure', () => {
    scheduler.run(({ expectObservable }) => {
      const p = plan((_h, _n, s) => s.error(new AuthenticationFailed('bad password')));
      expectObservable(reconnecting(p.plan, () => undefined)).toBe('#', undefined, new AuthenticationFailed('bad password'));
      scheduler.flush();
      expect(p.attempts).to.have.length(1);
    });
  });
});
