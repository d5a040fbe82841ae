/**
 * `oslo-rx/testing`, as an application's tests use it: only the two package entries.
 */
import { expect } from 'chai';
import { lastValueFrom } from 'rxjs';
import { MessagingTimeout, createTransport, isMessagingError } from '../../lib';
import { startBroker, startRouter, testNotifier, waitForState } from '../../lib/testing';

describe('oslo-rx/testing', function () {
  this.timeout(30_000);

  for (const [mode, start, addressing] of [
    ['broker', startBroker, 'legacy'],
    ['router', startRouter, 'routable'],
  ] as const) {
    it(`start${mode === 'broker' ? 'Broker' : 'Router'}() runs the embedded ${mode} on a free port; waitForState sees open, then disconnected`, async () => {
      const intermediary = await start();
      const transport = createTransport(intermediary.url, { connectionRetryIntervalMs: 1000 });
      try {
        expect(intermediary.port).to.be.greaterThan(0);
        expect(intermediary.mode).to.equal(mode);
        const open = await waitForState(transport, 'open');
        expect(open.addressing).to.equal(addressing);
        await intermediary.stop();
        const down = await waitForState(transport, 'disconnected');
        expect(down.host).to.equal(`127.0.0.1:${intermediary.port}`);
      } finally {
        await transport.close();
        await intermediary.stop();
      }
    });
  }

  it('waitForState rejects with MessagingTimeout when the state does not come in time', async () => {
    const transport = createTransport('amqp://127.0.0.1:1', { connectionRetryIntervalMs: 1000 });
    try {
      const t0 = Date.now();
      const error = await waitForState(transport, 'open', { timeoutMs: 300 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(MessagingTimeout);
      expect(isMessagingError(error, 'MessagingTimeout')).to.equal(true);
      expect((error as Error).message).to.equal('the transport was not open within 300 ms');
      expect(Date.now() - t0).to.be.lessThan(5_000);
    } finally {
      await transport.close();
    }
  });

  it('testNotifier records notifications (context sanitized) and sends nothing', async () => {
    const notifier = testNotifier({ publisherId: 'compute.host1', topics: ['notifications', 'audit'] });
    await lastValueFrom(notifier.info({ user_id: 'u1', auth_token: 'secret' }, 'compute.instance.create.end', { id: 1 }), { defaultValue: undefined });
    await lastValueFrom(notifier.prepare({ publisherId: 'compute.host2' }).error({}, 'compute.instance.delete.error', {}), { defaultValue: undefined });
    expect(notifier.sent.map(({ topic, priority, publisherId, eventType }) => [topic, priority, publisherId, eventType])).to.deep.equal([
      ['notifications', 'info', 'compute.host1', 'compute.instance.create.end'],
      ['audit', 'info', 'compute.host1', 'compute.instance.create.end'],
      ['notifications', 'error', 'compute.host2', 'compute.instance.delete.error'],
      ['audit', 'error', 'compute.host2', 'compute.instance.delete.error'],
    ]);
    expect(notifier.sent[0]!.context).to.deep.equal({ user_id: 'u1' });
    expect(notifier.sent[0]!.payload).to.deep.equal({ id: 1 });
  });
});
