import { expect } from 'chai';
import { lastValueFrom } from 'rxjs';
import { IncomingNotification, Notifier, Priority, createTransport, notificationMatcher, priorityNamed } from '../../../lib';
import type { IncomingDelivery } from '../../../lib';

const notification = (fields: Partial<{ publisherId: string; eventType: string; payload: unknown; context: Record<string, unknown> }>) =>
  new IncomingNotification(
    {
      message: { priority: 'INFO', publisherId: fields.publisherId, eventType: fields.eventType, payload: fields.payload ?? {}, messageId: 'm', timestamp: 't' },
      context: fields.context ?? {},
      version: 2,
    },
    {} as IncomingDelivery,
  );

describe('notification filters (oslo NotificationFilter semantics)', () => {
  it('anchors patterns at the start, like re.match', () => {
    const m = notificationMatcher({ eventType: 'compute\\.' });
    expect(m(notification({ eventType: 'compute.start' }))).to.equal(true);
    expect(m(notification({ eventType: 'x.compute.start' }))).to.equal(false);
    expect(notificationMatcher({ eventType: /start$/ })(notification({ eventType: 'compute.start' })), 're.match does not search').to.equal(false);
  });

  it('requires every listed dict key to be a matching string', () => {
    const m = notificationMatcher({ context: { project_id: 'p1' }, payload: { state: 'act' } });
    expect(m(notification({ context: { project_id: 'p1' }, payload: { state: 'active' } }))).to.equal(true);
    expect(m(notification({ context: {}, payload: { state: 'active' } })), 'missing key').to.equal(false);
    expect(m(notification({ context: { project_id: 1 }, payload: { state: 'active' } })), 'non-string').to.equal(false);
    expect(m(notification({ context: { project_id: 'p1' }, payload: 'scalar' })), 'payload not a dict').to.equal(false);
  });

  it('a missing publisher or event type never matches a pattern for it', () => {
    expect(notificationMatcher({ publisherId: '.*' })(notification({}))).to.equal(false);
    expect(notificationMatcher({})(notification({}))).to.equal(true);
  });
});

describe('priorities', () => {
  it('maps names in any case, and warning to warn', () => {
    expect(priorityNamed('WARNING')).to.equal('warn');
    expect(priorityNamed('Info')).to.equal('info');
    expect(priorityNamed('loud')).to.equal(undefined);
    expect(Priority.WARNING).to.equal('warn');
    expect(notification({}).priority).to.equal('info');
  });
});

describe('Notifier drivers that do not send', () => {
  const transport = createTransport('amqp://127.0.0.1:1');
  after(() => transport.close());

  it('test driver keeps sanitized notifications in memory, per topic, and prepare() shares them', async () => {
    const n = new Notifier(transport, { publisherId: 'p', topics: ['a', 'b'], driver: 'test' });
    await lastValueFrom(n.warning({ user_id: 'u', auth_token: 'secret' }, 'e', { x: 1 }), { defaultValue: undefined });
    await lastValueFrom(n.prepare({ publisherId: 'q' }).sample({}, 's', 2), { defaultValue: undefined });
    expect(n.sent.map((s) => [s.topic, s.priority, s.publisherId])).to.deep.equal([
      ['a', 'warn', 'p'],
      ['b', 'warn', 'p'],
      ['a', 'sample', 'q'],
      ['b', 'sample', 'q'],
    ]);
    expect(n.sent[0].context).to.deep.equal({ user_id: 'u' });
  });

  it('log driver writes oslo-style JSON lines; noop does nothing', async () => {
    const lines: string[] = [];
    const n = new Notifier(transport, { publisherId: 'p', driver: 'log', logger: (l) => lines.push(l) });
    await lastValueFrom(n.error({}, 'compute.fail', { why: 'disk' }), { defaultValue: undefined });
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^oslo\.messaging\.notification\.compute\.fail \{"message_id": "[0-9a-f-]{36}", "publisher_id": "p", "event_type": "compute.fail", "priority": "ERROR", "payload": \{"why": "disk"\}/);
    const noop = new Notifier(transport, { publisherId: 'p', driver: 'noop' });
    await lastValueFrom(noop.info({}, 'x', {}), { defaultValue: undefined });
    expect(noop.sent).to.have.length(0);
  });
});
