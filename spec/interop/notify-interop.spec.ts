/**
 * Notification interop with real Python oslo.messaging 14.0.3 (its AMQP 1.0 driver), both
 * directions, through every intermediary the Python driver can use: oslo's FakeBroker (broker
 * and router personalities), the Qpid Proton C++ broker and the embedded intermediary (both
 * personalities).
 */
import { expect } from 'chai';
import { type Subscription, firstValueFrom, from, lastValueFrom, mergeMap, timer } from 'rxjs';
import {
  type IncomingNotification,
  Notifier,
  PRIORITIES,
  type Priority,
  type Transport,
  createTransport,
  notificationListener,
} from '../../lib';
import { interopIntermediaries } from './intermediaries';
import { uniqueName, within } from '../support/wait';
import { tracedSpanKinds, useInMemoryTracing } from '../support/in-memory-tracing';
import { PROBE_PUBLISHER, type PythonListener, type PythonNotification, runPythonNotifier, startPythonListener } from './notify-peer';

/**
 * What an intermediary does with a notification the Python listener requeues (`released`):
 * - `broker`: the intermediary puts it back and delivers it again;
 * - `sender`: the intermediary hands `released` back to the sender (it settles a forwarded
 *   message only when the consumer does), and the oslo-rx Notifier sends it again after
 *   `link_retry_delay`, so the listener gets it again;
 * - `never`: it is gone; the intermediary had settled it with the sender already.
 */
type Redelivery = 'broker' | 'sender' | 'never';

const INTERMEDIARIES = interopIntermediaries<{ readonly redelivery: Redelivery }>({
  // FakeBroker forwards a message to one consumer and accepts it with the sender at once, in
  // both personalities; the consumer's `released` only bumps a counter (sender_link_requeue_count).
  fakebroker: { redelivery: 'never' },
  fakerouter: { redelivery: 'never' },
  // The Proton C++ example broker forgets a message once it has sent it and ignores the
  // consumer's outcome.
  proton: { redelivery: 'never' },
  // The embedded broker puts a released message back at the head of its queue.
  'embedded-broker': { redelivery: 'broker' },
  // The embedded router passes the consumer's `released` back to the sender, whose resend
  // after link_retry_delay reaches the listener again.
  'embedded-router': { redelivery: 'sender' },
});

/** The Notifier method names Python and oslo-rx share (`warning` sends `WARN`). */
const NOTIFIER_METHODS = ['audit', 'debug', 'info', 'warn', 'warning', 'error', 'critical', 'sample'] as const;
type NotifierMethod = (typeof NOTIFIER_METHODS)[number];

/** The priority a Notifier method sends (and a listener sees). */
const priorityOf = (method: NotifierMethod): Priority => (method === 'warning' ? 'warn' : method);

/** A payload that crosses JSON-in-JSON: nesting, unicode beyond the BMP, numbers, nulls. */
const PAYLOAD = {
  name: 'vm-1 héllo ☃ 日本 😀 "quoted" \\ back\nslash',
  nested: { list: [1, 2.5, -3, null, true, false, 'x', []], empty: {}, deep: { a: [{ b: 'ç' }] } },
  none: null,
};

/** A request context with keys outside oslo's whitelist. */
const CONTEXT = { user_id: 'u1', project_id: 'p1', roles: ['admin', 'member'], is_admin: false, request_id: 'req-1', auth_token: 'secret-token', custom: 'dropped' };

/** {@link CONTEXT} after oslo's `_sanitize_context`. */
const SANITIZED = { user_id: 'u1', project_id: 'p1', roles: ['admin', 'member'], is_admin: false, request_id: 'req-1' };

const DASHED_UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Python's `str(datetime.utcnow())`: no zone, microseconds left out when 0. */
const PY_TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$/;

const PROBE_MS = 20_000;
const PROBE_EVERY_MS = 250;
const SEND_MS = 20_000;

/** Checks that a Python timestamp is UTC and recent. */
function expectRecentUtc(timestamp: string | undefined): void {
  expect(timestamp).to.match(PY_TIMESTAMP);
  const sent = Date.parse(`${timestamp!.replace(' ', 'T')}Z`);
  expect(Math.abs(Date.now() - sent), `timestamp ${timestamp} is UTC and recent`).to.be.lessThan(120_000);
}

/**
 * Sends probe notifications (publisher `probe`, no resend) on every priority not yet seen
 * until `seen` says each has arrived: proof that the listener's links are attached.
 */
async function probeUntilSeen(transport: Transport, topic: string, priorities: readonly Priority[], seen: (p: Priority) => boolean, what: string): Promise<void> {
  const probe = new Notifier(transport, { publisherId: PROBE_PUBLISHER, topics: [topic], retry: 0 });
  const until = Date.now() + PROBE_MS;
  for (;;) {
    const missing = priorities.filter((p) => !seen(p));
    if (missing.length === 0) return;
    if (Date.now() > until) throw new Error(`${what}: no probe arrived on ${missing.join(', ')} within ${PROBE_MS} ms`);
    for (const p of missing) probe.notify(p, {}, 'probe', {}).subscribe({ error: () => undefined });
    await firstValueFrom(timer(PROBE_EVERY_MS));
  }
}

/** Waits (bounded) for every send to complete. */
function allSent(sends: readonly Promise<unknown>[], what: string): Promise<unknown> {
  return within(Promise.all(sends), what, SEND_MS);
}

/** A send as a promise that resolves when the intermediary holds the notification. */
const sent = (send: ReturnType<Notifier['info']>) => lastValueFrom(send, { defaultValue: undefined });

/** An oslo-rx listener whose links are attached; it acks everything and keeps the non-probes. */
async function osloRxListening(transport: Transport, topic: string) {
  const items: IncomingNotification[] = [];
  const probed = new Set<string>();
  let failure: unknown;
  const sub: Subscription = notificationListener(transport, [{ topic }]).subscribe({
    next: (n) => {
      n.ack();
      if (n.publisherId === PROBE_PUBLISHER) probed.add(n.priority);
      else items.push(n);
    },
    error: (e: unknown) => (failure = e),
  });
  await probeUntilSeen(transport, topic, PRIORITIES, (p) => probed.has(p), 'oslo-rx listener');
  const count = async (n: number, what: string, ms = 20_000) => {
    const until = Date.now() + ms;
    while (items.length < n) {
      if (failure) throw failure;
      if (Date.now() > until) throw new Error(`timed out waiting for ${n} ${what} (have ${items.length})`);
      await firstValueFrom(timer(20));
    }
    return items.slice();
  };
  return { count, stop: () => sub.unsubscribe() };
}

/** Probes a Python listener on `priorities` until its links are attached. */
function pythonListening(transport: Transport, listener: PythonListener, priorities: readonly Priority[]): Promise<void> {
  const seen = (p: Priority) => listener.received.some((n) => n.publisher_id === PROBE_PUBLISHER && n.priority === p);
  return probeUntilSeen(transport, listener.topic, priorities, seen, `python listener on ${listener.topic}`);
}

/** Notifications of `event` a Python listener received. */
const ofEvent = (event: string) => (n: PythonNotification) => n.event_type === event;

/** Checks every field of one notification a Python listener endpoint got from oslo-rx. */
function expectFromOsloRx(n: PythonNotification, method: NotifierMethod, publisher: string, payload: unknown): void {
  expect(n.priority, 'the endpoint method called').to.equal(priorityOf(method));
  expect(n.publisher_id).to.equal(publisher);
  expect(n.payload).to.deep.equal(payload);
  expect(n.ctxt, 'the context, sanitized by oslo-rx').to.deep.equal(SANITIZED);
  expect(Object.keys(n.metadata).sort()).to.deep.equal(['message_id', 'timestamp']);
  expect(n.metadata.message_id).to.match(DASHED_UUID4);
  expectRecentUtc(n.metadata.timestamp);
}

for (const intermediary of INTERMEDIARIES) {
  describe(`notification interop with Python oslo.messaging via ${intermediary.name}`, function () {
    this.timeout(60_000);
    // every exchange below carries oslo-rx's trace context: Python ignores application properties
    const tracing = useInMemoryTracing();
    let transport: Transport;

    before(async function () {
      await intermediary.setup(this);
      // link_retry_delay 1 s: released notifications (routers without a consumer yet, the
      // embedded router's requeue) are sent again soon
      transport = createTransport(intermediary.url(), { connectionRetryIntervalMaxMs: 2000, linkRetryDelayMs: 1000 });
    });
    after(async () => {
      await transport?.close();
      await intermediary.teardown();
    });

    describe('Python Notifier → oslo-rx listener', () => {
      it('delivers every priority (warning as warn) from messagingv2 with every field intact', async () => {
        const topic = uniqueName('py-notify-v2');
        const rx = await osloRxListening(transport, topic);
        try {
          const methods = ['audit', 'debug', 'info', 'warning', 'error', 'critical', 'sample'];
          const outcome = await runPythonNotifier({ url: intermediary.url(), topic, publisher: 'compute.py1', priorities: methods, event: 'compute.instance.create.end', payload: PAYLOAD, context: CONTEXT, count: 2 });
          expect(outcome).to.deep.equal({ sent: 14, failed: 0 });
          const all = await rx.count(14, 'notifications from Python');
          expect(all.map((n) => n.priority).sort()).to.deep.equal(
            ['audit', 'critical', 'debug', 'error', 'info', 'sample', 'warn'].flatMap((p) => [p, p]),
          );
          for (const n of all) {
            expect(n.version).to.equal(2);
            expect(n.publisherId).to.equal('compute.py1');
            expect(n.eventType).to.equal('compute.instance.create.end');
            expect(n.payload).to.deep.equal(PAYLOAD);
            expect(n.context, "the context after Python's sanitizing").to.deep.equal(SANITIZED);
            expect(n.metadata.messageId).to.match(DASHED_UUID4);
            expectRecentUtc(n.metadata.timestamp);
          }
          expect(new Set(all.map((n) => n.metadata.messageId)).size, 'a new message id per notification').to.equal(14);
          expect(all).to.have.length(14);
        } finally {
          rx.stop();
        }
      });

      it('decodes messaging (v1) notifications with every field intact', async () => {
        const topic = uniqueName('py-notify-v1');
        const rx = await osloRxListening(transport, topic);
        try {
          const outcome = await runPythonNotifier({ url: intermediary.url(), topic, publisher: 'network.py1', priorities: ['info', 'warn', 'error'], event: 'port.update', payload: PAYLOAD, context: CONTEXT, driver: 'messaging' });
          expect(outcome).to.deep.equal({ sent: 3, failed: 0 });
          const all = await rx.count(3, 'v1 notifications from Python');
          expect(all.map((n) => n.priority).sort()).to.deep.equal(['error', 'info', 'warn']);
          for (const n of all) {
            expect(n.version).to.equal(1);
            expect([n.publisherId, n.eventType]).to.deep.equal(['network.py1', 'port.update']);
            expect(n.payload).to.deep.equal(PAYLOAD);
            expect(n.context).to.deep.equal(SANITIZED);
            expect(n.metadata.messageId).to.match(DASHED_UUID4);
            expectRecentUtc(n.metadata.timestamp);
          }
        } finally {
          rx.stop();
        }
      });
    });

    describe('oslo-rx Notifier → Python listener', () => {
      let listener: PythonListener;
      let batchListener: PythonListener;
      let requeueListener: PythonListener;
      let started: PythonListener[] = [];

      before(async () => {
        const url = intermediary.url();
        // one process per listener kind for the whole block (a Python start costs about 1 s)
        const starts = await Promise.allSettled([
          startPythonListener({ url, topic: uniqueName('rx-notify') }),
          startPythonListener({ url, topic: uniqueName('rx-notify-batch'), batchSize: 5, batchTimeoutS: 1 }),
          startPythonListener({ url, topic: uniqueName('rx-notify-requeue'), requeueFirst: true }),
        ]);
        started = starts.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
        const failed = starts.find((s) => s.status === 'rejected');
        if (failed) throw failed.reason;
        [listener, batchListener, requeueListener] = started;
        await Promise.all([
          pythonListening(transport, listener, PRIORITIES),
          pythonListening(transport, batchListener, ['info']),
          pythonListening(transport, requeueListener, ['info']),
        ]);
      });
      after(async () => {
        await Promise.all(started.map((l) => l.stop()));
      });

      for (const driver of ['messagingv2', 'messaging'] as const) {
        it(`calls the endpoint method of each priority with every field intact (${driver})`, async () => {
          const notifier = new Notifier(transport, { publisherId: `compute.rx-${driver}`, topics: [listener.topic], driver });
          const events = NOTIFIER_METHODS.map((method) => ({ method, event: `${driver}.${method}`, payload: { ...PAYLOAD, method } }));
          await allSent(events.map(({ method, event, payload }) => sent(notifier[method](CONTEXT, event, payload))), 'every send to complete');
          for (const { method, event, payload } of events) {
            const [n] = await listener.waitFor(ofEvent(event), 1, event);
            expectFromOsloRx(n, method, `compute.rx-${driver}`, payload);
          }
          const mine = listener.received.filter((n) => n.event_type.startsWith(`${driver}.`));
          expect(mine, 'each once').to.have.length(NOTIFIER_METHODS.length);
          expect(new Set(mine.map((n) => n.metadata.message_id)).size).to.equal(NOTIFIER_METHODS.length);
        });
      }

      it('hands a burst of 10 to the batch listener (batch_size 5), all of them, in batches of at most 5', async () => {
        const notifier = new Notifier(transport, { publisherId: 'burst', topics: [batchListener.topic] });
        await within(
          lastValueFrom(from(Array.from({ length: 10 }, (_, i) => i)).pipe(mergeMap((i) => notifier.info(CONTEXT, 'burst', { i }))), { defaultValue: undefined }),
          'the burst to be sent',
          SEND_MS,
        );
        const got = await batchListener.waitFor(ofEvent('burst'), 10, 'the burst');
        expect(got.map((n) => (n.payload as { i: number }).i).sort((a, b) => a - b)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        got.forEach((n) => expectFromOsloRx(n, 'info', 'burst', n.payload));
        expect(new Set(got.map((n) => n.metadata.message_id)).size).to.equal(10);
        const burstBatches = batchListener.batches.filter((b) => b.batch.some((n) => n.event_type === 'burst'));
        expect(burstBatches.every((b) => b.batch.length <= 5), `batch sizes ${batchListener.batches.map((b) => b.batch.length)}`).to.equal(true);
        expect(burstBatches.length).to.be.at.least(2);
        expect(burstBatches.every((b) => b.priority === 'info')).to.equal(true);
      });

      const requeueTitle = {
        broker: 'a notification the Python listener requeues is delivered to it again by the intermediary',
        sender: 'a notification the Python listener requeues is released back to the oslo-rx Notifier, which sends it again',
        never: 'a notification the Python listener requeues is not delivered again (the intermediary had settled it)',
      }[intermediary.redelivery];
      it(requeueTitle, async () => {
        const notifier = new Notifier(transport, { publisherId: 'rq', topics: [requeueListener.topic] });
        const send = sent(notifier.info(CONTEXT, 'requeue.me', { n: 1 }));
        const [first] = await requeueListener.waitFor(ofEvent('requeue.me'), 1, 'the notification to requeue');
        expect(first.requeued, 'the endpoint returned REQUEUE').to.equal(true);
        if (intermediary.redelivery === 'never') {
          await within(send, 'the send to complete', SEND_MS);
          // a later notification arrives while the requeued one never comes back
          await within(sent(notifier.info(CONTEXT, 'after.requeue', {})), 'the second send', SEND_MS);
          await requeueListener.waitFor(ofEvent('after.requeue'), 1, 'the notification sent after');
          expect(requeueListener.received.filter(ofEvent('requeue.me'))).to.have.length(1);
        } else {
          const [, again] = await requeueListener.waitFor(ofEvent('requeue.me'), 2, 'the redelivery');
          expect(again.requeued, 'handled the second time').to.equal(undefined);
          expect(again.payload).to.deep.equal({ n: 1 });
          // the same message: the notifier resends the same body, a broker the same message
          expect(again.metadata).to.deep.equal(first.metadata);
          await within(send, 'the send to complete', SEND_MS);
        }
      });
    });

    describe('with tracing on throughout', () => {
      it('traced the oslo-rx side of every exchange above', () => {
        expect(tracedSpanKinds(tracing.spans())).to.include.members(['PRODUCER', 'CONSUMER']);
      });
    });
  });
}
