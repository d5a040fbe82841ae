import { expect } from 'chai';
import fc from 'fast-check';
import { notificationTarget } from '../../../lib/addressing';
import {
  NOTIFICATION_CONTEXT_KEYS, type NotificationBody, NotificationBodyCodec, type NotificationMessage, buildNotificationMessage,
  decodeNotificationMessage, decodeWith, jsonLoads, newNotificationMessage, sanitizeNotificationContext,
} from '../../../lib/wire';
import { type NotificationFixtures, loadFixture, overTheWire } from './fixtures';

const { cases } = loadFixture<NotificationFixtures>('notifications');
const EXACT = { pythonExactJson: true } as const;

function messageOf(c: NotificationFixtures['cases'][number]): NotificationMessage {
  const m = c.message;
  return {
    messageId: m.message_id, publisherId: m.publisher_id, eventType: m.event_type, priority: m.priority,
    payload: m.payload, timestamp: m.timestamp,
  };
}

describe('notifications', () => {
  describe('match Python Notifier + amqp1 driver byte for byte (pythonExactJson)', () => {
    for (const c of cases) {
      it(`${c.method}: messaging (v1) and messagingv2 (v2) bodies, sanitized context, address topic`, () => {
        const v1 = buildNotificationMessage({ message: messageOf(c), context: c.context, version: 1 }, { to: 'a', ...EXACT });
        const v2 = buildNotificationMessage({ message: messageOf(c), context: c.context, version: 2 }, { to: 'a', ...EXACT });
        expect(v1.body).to.equal(c.v1);
        expect(v2.body).to.equal(c.v2);
        expect(v1.to).to.equal('a');
        expect(c.priority).to.equal(c.priority.toUpperCase());
        expect(notificationTarget('notifications', c.priority).topic).to.equal(c.address);
      });
    }
  });

  describe('Python bodies decode (v1 and v2)', () => {
    for (const c of cases) {
      it(c.method, () => {
        for (const [body, version] of [[c.v1, 1], [c.v2, 2]] as const) {
          expect(decodeNotificationMessage(overTheWire({ body }))).to.deep.equal({
            _tag: 'Right', right: { message: messageOf(c), context: c.sanitizedContext, version },
          });
        }
      });
    }
  });

  it('the context whitelist is oslo 14.0.3 _sanitize_context: keeps the context order, drops auth_token', () => {
    for (const c of cases) {
      const s = sanitizeNotificationContext(c.context);
      expect(s).to.deep.equal(c.sanitizedContext);
      expect(Object.keys(s)).to.deep.equal(Object.keys(c.sanitizedContext));
      expect(s).not.to.have.property('auth_token');
    }
    expect(NOTIFICATION_CONTEXT_KEYS.size).to.equal(27);
    expect(sanitizeNotificationContext(null)).to.deep.equal({});
  });

  it('buildNotificationMessage never sends auth_token, whatever the caller passes', () => {
    const m = buildNotificationMessage({ message: newNotificationMessage({ publisherId: 'p', eventType: 'e', priority: 'info', payload: {} }),
      context: { auth_token: 'SECRET', user_id: 'u' }, version: 2 }, { to: 'x' });
    expect(m.body).not.to.include('SECRET');
    expect(jsonLoads(m.body as string)).to.have.deep.property('context', { user_id: 'u' });
  });

  it('newNotificationMessage: dashed uuid, upper-case priority, Python timestamp, oslo key order', () => {
    const date = new Date(Date.UTC(2026, 10, 25, 6, 40, 5, 786));
    const n = newNotificationMessage({ publisherId: 'compute.host1', eventType: 'x.y', priority: 'warn', payload: undefined, date });
    expect(n.messageId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(n).to.include({ priority: 'WARN', timestamp: '2026-11-25 06:40:05.786000', payload: null });
    const body = jsonLoads(buildNotificationMessage({ message: n, context: {}, version: 1 }, { to: 'x' }).body as string) as { request: object };
    expect(Object.keys(body)).to.deep.equal(['request', 'context']);
    expect(Object.keys(body.request)).to.deep.equal(['message_id', 'publisher_id', 'event_type', 'priority', 'payload', 'timestamp']);
    expect(newNotificationMessage({ publisherId: 'p', eventType: 'e', priority: 'info', payload: 1, messageId: 'id' }).messageId).to.equal('id');
  });

  it('reads notifications as oslo listeners do, and refuses what they cannot', () => {
    const dec = (u: unknown) => decodeWith(NotificationBodyCodec, u, 'notification');
    expect(dec({ request: {} })).to.deep.equal({ _tag: 'Right', right: { message: { priority: '', payload: null }, context: null, version: 1 } });
    expect(dec({ request: { priority: 'INFO', publisher_id: null, payload: [1] }, context: { a: 1 } })).to.deep.equal({
      _tag: 'Right', right: { message: { priority: 'INFO', payload: [1] }, context: { a: 1 }, version: 1 },
    });
    const reason = (u: unknown) => (dec(u) as { left: { reason: string } }).left.reason;
    expect(reason('x')).to.equal('notification: body: expected NotificationBody, got string');
    expect(reason({ request: [1] })).to.equal('notification: request: expected object, got array');
    expect(reason({ request: { priority: null } })).to.equal('notification: request.priority: expected string, got null');
    expect(reason({ request: { event_type: 5 } })).to.equal('notification: request.event_type: expected string or null, got number');
    expect(reason({ request: {}, context: [] })).to.equal('notification: context: expected object or null, got array');
    expect(reason({ request: { 'oslo.version': '1.0', 'oslo.message': '{}' } })).to.match(/request: unsupported oslo envelope version/);
    expect(decodeNotificationMessage({ body: undefined })._tag).to.equal('Left');
  });

  const bodyArb: fc.Arbitrary<NotificationBody> = fc.record({
    message: fc.record({
      messageId: fc.uuid(), publisherId: fc.string(), eventType: fc.string(), priority: fc.string(),
      payload: fc.jsonValue(), timestamp: fc.string(),
    }, { requiredKeys: ['priority', 'payload'] }),
    context: fc.option(fc.dictionary(fc.constantFrom(...NOTIFICATION_CONTEXT_KEYS), fc.jsonValue()), { nil: null }),
    version: fc.constantFrom(1 as const, 2 as const),
  });

  it('property: notifications round-trip through a rhea message (v1 and v2)', () => {
    fc.assert(fc.property(bodyArb, (b) => {
      const back = decodeNotificationMessage(overTheWire(buildNotificationMessage(b, { to: 'x' })));
      expect(back).to.deep.equal({ _tag: 'Right', right: { ...b, context: b.context ?? {} } });
      expect(NotificationBodyCodec.is(b)).to.equal(true);
    }), { numRuns: 200 });
  });

  it('property: any body decodes to a notification or a Left, never throws', () => {
    const loose = fc.record({
      request: fc.oneof(fc.anything(), fc.record({ priority: fc.anything(), message_id: fc.anything(), payload: fc.anything() }, { requiredKeys: [] }),
        fc.record({ 'oslo.version': fc.oneof(fc.constant('2.0'), fc.anything()), 'oslo.message': fc.oneof(fc.json(), fc.anything()) })),
      context: fc.anything(),
    }, { requiredKeys: [] });
    fc.assert(fc.property(fc.oneof(fc.anything(), loose, loose.map((l) => JSON.stringify(l) ?? '')), (body) => {
      const r = decodeNotificationMessage({ body });
      if (r._tag === 'Right') expect(NotificationBodyCodec.is(r.right)).to.equal(true);
      else expect(r.left.reason).to.be.a('string');
    }), { numRuns: 1000 });
  });
});
