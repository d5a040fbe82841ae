/**
 * Bad input sent with raw rhea-promise (not oslo-rx's client) to an oslo-rx RPC server, an
 * oslo-rx notification listener and an oslo-rx caller's reply address, through the embedded
 * intermediary (broker and router) and real brokers (the Qpid Proton C++ broker, RabbitMQ
 * 3.10). Each case asserts the disposition oslo-rx chooses (seen on its own deliveries), what
 * the raw sender is told (the intermediary's outcome on a broker, oslo-rx's own through a
 * router), and that the server or listener goes on serving good input afterwards.
 */
import { expect } from 'chai';
import { type Subscription, ReplaySubject, firstValueFrom, timer } from 'rxjs';
import { type Connection, type Message, type Sender, message as rheaMessage } from 'rhea-promise';
import {
  type AmqpOptions,
  type IncomingNotification,
  Notifier,
  RpcClient,
  type Transport,
  addressingPresets,
  createTransport,
  dispatch,
  isMessagingError,
  notificationListener,
  rpcServer,
} from '../../lib';
import { createAddresser, notificationTarget } from '../../lib/addressing';
import { NO_BODY } from '../../lib/wire';
import { Clients, Inbox, type SeenOutcome, send } from '../embedded/intermediary-support';
import { DispositionLog, type SeenDisposition } from '../support/disposition-log';
import { embeddedIntermediary, sharedIntermediary } from '../interop/intermediaries';
import { first, uniqueName, within } from '../support/wait';

/** One intermediary, as these tests need it. */
interface Fixture {
  readonly name: string;
  setup(ctx: Mocha.Context): Promise<void>;
  teardown(): Promise<void>;
  url(): string;
  readonly options?: Partial<AmqpOptions>;
  /** A router hands the sender the receiver's own outcome; a broker answers for itself. */
  readonly router: boolean;
  /** Refuses the `modified` outcome (RabbitMQ 3.x), so a stray reply must be dropped another way. */
  readonly refusesModified?: boolean;
}

const FIXTURES: readonly Fixture[] = [
  { ...embeddedIntermediary('broker'), router: false },
  { ...embeddedIntermediary('router'), router: true },
  { ...sharedIntermediary('proton', 'the Qpid Proton C++ broker'), router: false },
  { ...sharedIntermediary('rabbitmq', 'RabbitMQ 3.10 (AMQP 1.0 plugin)'), options: { ...addressingPresets.rabbitmq3 }, router: false, refusesModified: true },
];

/** The largest message the server and listener transports accept. */
const LIMIT = 16 * 1024;
const DECODE_ERROR = 'amqp:decode-error';
const SIZE_EXCEEDED = 'amqp:link:message-size-exceeded';

/** What oslo-rx should do with a message. */
type Expected = { readonly disposition: 'accepted' } | { readonly disposition: 'rejected'; readonly condition: string };
const rejected = (condition = DECODE_ERROR): Expected => ({ disposition: 'rejected', condition });
const accepted: Expected = { disposition: 'accepted' };

/** A bad (or borderline) message and what oslo-rx should do with it. */
interface Case {
  readonly title: string;
  readonly message: Omit<Message, 'to' | 'application_properties'>;
  readonly expected: Expected;
}

const json = (value: unknown) => JSON.stringify(value);
const data = (text: string | Buffer) => rheaMessage.data_section(Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'));
const envelope = (inner: unknown) => ({ 'oslo.version': '2.0', 'oslo.message': inner });
/** Bytes that are not UTF-8. */
const NOT_UTF8 = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);

/** Bodies no oslo peer can read, as either kind of message. */
const BAD_BODIES: readonly Case[] = [
  { title: 'a body that is not JSON', message: { body: 'this is {not JSON' }, expected: rejected() },
  { title: 'an AMQP map body', message: { body: { request: { method: 'note', args: {} } } }, expected: rejected() },
  { title: 'no body section', message: { body: NO_BODY }, expected: rejected() },
  { title: 'a number body', message: { body: 42 }, expected: rejected() },
  { title: 'an amqp-sequence section', message: { body: rheaMessage.sequence_section([1, 2]) }, expected: rejected() },
  { title: 'a data section that is not UTF-8', message: { body: data(NOT_UTF8) }, expected: rejected() },
  { title: 'JSON that is a list', message: { body: '[1, 2]' }, expected: rejected() },
];

/** Resolves once `predicate` holds for a value of `subject`; fails after `ms`. */
const seen = <T>(subject: ReplaySubject<T>, what: string, predicate: (v: T) => boolean, ms = 10_000) => first(subject, what, ms, predicate);

for (const fixture of FIXTURES) {
  describe(`bad input via ${fixture.name}`, function () {
    this.timeout(30_000);
    const clients = new Clients();
    /** A transport to the intermediary, with `extra` options. */
    const open = (extra: Partial<AmqpOptions> = {}) => createTransport(fixture.url(), { connectionRetryIntervalMaxMs: 2000, ...fixture.options, ...extra });
    let raw: Connection;
    const senders = new Map<string, Sender>();

    before(async function () {
      await fixture.setup(this);
      const url = new URL(fixture.url());
      raw = await clients.connect(
        { port: Number(url.port) },
        { host: url.hostname, ...(url.username ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) } : {}) },
      );
    });
    after(async () => {
      senders.clear();
      await clients.closeAll();
      await fixture.teardown();
    });

    /** Sends `message` with raw rhea to `address`, labelled `label`; resolves with the outcome the sender saw. */
    async function sendRaw(address: string, label: string, message: Omit<Message, 'to'>): Promise<SeenOutcome> {
      let sender = senders.get(address);
      if (!sender) {
        sender = await within(raw.createSender({ target: { address } }), `a raw sender to ${address}`, 10_000);
        senders.set(address, sender);
      }
      return send(sender, { ...message, to: address, application_properties: { case: label } }, 10_000);
    }

    /** What the raw sender should see for a message oslo-rx settles as `expected`. */
    function expectOutcome(outcome: SeenOutcome, expected: Expected | SeenDisposition): void {
      if (!fixture.router) {
        expect(outcome.type, 'a broker answers for itself').to.equal('accepted');
        return;
      }
      expect(outcome.type, "a router hands on oslo-rx's outcome").to.equal(expected.disposition);
      if (expected.disposition === 'rejected') expect(outcome.condition).to.equal(expected.condition);
    }

    function expectDisposition(got: SeenDisposition, expected: Expected): void {
      expect(got.disposition, JSON.stringify(got)).to.equal(expected.disposition);
      if (expected.disposition === 'rejected') {
        expect(got.condition, JSON.stringify(got)).to.equal(expected.condition);
        expect(got.description, 'the rejection says why').to.be.a('string').and.not.equal('');
      }
    }

    describe('to an RPC server', () => {
      let server: Transport;
      let client: Transport;
      let log: DispositionLog;
      let sub: Subscription;
      let address: string;
      const topic = uniqueName('badinput.rpc');
      /** The tags of the `note` calls and casts the endpoint ran. */
      const ran = new ReplaySubject<string>();
      const ranTags: string[] = [];

      before(async () => {
        server = open({ maxMessageSize: LIMIT });
        client = open();
        log = new DispositionLog(server);
        const endpoint = {
          echo: (_ctx: unknown, args: unknown) => args,
          note: (_ctx: unknown, { tag }: { tag: string }) => {
            ranTags.push(tag);
            ran.next(tag);
            return tag;
          },
        };
        sub = rpcServer(log.transport, { topic, server: 's1' }).pipe(dispatch([endpoint])).subscribe();
        await goodCall('ready');
        const c = await server.ready();
        address = createAddresser(server.options, c.remoteProperties, server.url.virtualHost).unicast({ topic, server: 's1' }, 'rpc');
      });
      after(async () => {
        sub?.unsubscribe();
        await Promise.all([server?.close(), client?.close()]);
      });

      /** A good call through oslo-rx's own client: the server still serves. */
      async function goodCall(tag: string): Promise<void> {
        const rpc = new RpcClient(client, { topic, server: 's1' }, { timeoutMs: 10_000 });
        expect(await firstValueFrom(rpc.call('echo', { tag }))).to.deep.equal({ tag });
      }

      const request = (method: unknown, args: unknown = {}) => json({ request: { method, args }, context: {} });
      const cases: readonly Case[] = [
        ...BAD_BODIES,
        { title: 'an envelope whose oslo.message is not a string', message: { body: json({ request: envelope(5), context: {} }) }, expected: rejected() },
        { title: 'an envelope whose oslo.message is not JSON', message: { body: json({ request: envelope('{nope'), context: {} }) }, expected: rejected() },
        { title: 'a request without a method', message: { body: json({ request: { args: {} }, context: {} }) }, expected: rejected() },
        { title: 'a method that is not a string', message: { body: request(5) }, expected: rejected() },
        { title: 'args that are not an object', message: { body: request('note', [1, 2]) }, expected: rejected() },
        { title: 'a request that is not a dict', message: { body: json({ request: 'note', context: {} }) }, expected: rejected() },
        { title: 'a context that is not a dict', message: { body: json({ request: { method: 'note', args: {} }, context: 'ctx' }) }, expected: rejected() },
      ];

      for (const c of cases) {
        it(`rejects ${c.title} and goes on serving`, async () => {
          const label = `rpc: ${c.title}`;
          const outcome = await sendRaw(address, label, c.message);
          const got = await log.of(label);
          expectDisposition(got, c.expected);
          expectOutcome(outcome, c.expected);
          await goodCall(label);
        });
      }

      it('runs a cast whose request is in a data section (as oslo does), and accepts it', async () => {
        const label = 'rpc: data section';
        const outcome = await sendRaw(address, label, { body: data(request('note', { tag: label })) });
        await seen(ran, 'the cast to run', (t) => t === label);
        expectDisposition(await log.of(label), accepted);
        expectOutcome(outcome, accepted);
      });

      it(`rejects a request larger than its max_message_size (${LIMIT} bytes) with ${SIZE_EXCEEDED}, without running it`, async () => {
        const label = 'rpc: oversize';
        const outcome = await sendRaw(address, label, { body: request('note', { tag: label, blob: 'x'.repeat(4 * LIMIT) }) });
        expectOutcome(outcome, rejected(SIZE_EXCEEDED));
        await goodCall(label);
        // the receiver link rejects it before anything above it sees it: never handed on, never run
        expect(log.count(label), 'handed to the server').to.equal(0);
        expect(ranTags, 'ran').to.not.include(label);
      });

      it('runs a call without reply-to as a cast: accepted, no reply attempted', async () => {
        const label = 'rpc: call without reply-to';
        const outcome = await sendRaw(address, label, { message_id: 'no-reply-to', body: request('note', { tag: label }) });
        await seen(ran, 'the method to run', (t) => t === label);
        expectDisposition(await log.of(label), accepted);
        expectOutcome(outcome, accepted);
        await goodCall(label);
      });

      it('answers two calls with one message-id each, both with that correlation-id (no de-duplication, as oslo)', async () => {
        const label = 'rpc: duplicate message-id';
        const replyTo = uniqueName('badinput.replies');
        const inbox = new Inbox(await within(raw.createReceiver({ source: { address: replyTo } }), 'a raw reply receiver', 10_000));
        const message = { message_id: 'same-id', reply_to: replyTo, body: request('note', { tag: label }) };
        const outcomes = [await sendRaw(address, label, message), await sendRaw(address, label, message)];
        const replies = await inbox.count(2, 'two replies', 10_000);
        expect(replies.map((r) => r.message?.correlation_id)).to.deep.equal(['same-id', 'same-id']);
        expect(replies.map((r) => JSON.parse(r.message?.body as string))).to.deep.equal([{ response: label }, { response: label }]);
        await seen(log.settled$, 'both calls to be settled', () => log.count(label) === 2);
        expect(log.all.filter((s) => s.label === label).map((s) => s.disposition)).to.deep.equal(['accepted', 'accepted']);
        outcomes.forEach((o) => expectOutcome(o, accepted));
      });
    });

    describe("to a caller's reply address", () => {
      let transport: Transport;
      let log: DispositionLog;
      let responder: Inbox;
      const target = { topic: uniqueName('badinput.caller'), server: 'raw' };

      before(async () => {
        transport = open();
        log = new DispositionLog(transport);
        // a raw responder on the server address oslo-rx resolves for the target: it answers (or misbehaves) with raw rhea
        const c = await transport.ready();
        const address = createAddresser(transport.options, c.remoteProperties, transport.url.virtualHost).unicast(target, 'rpc');
        responder = new Inbox(await within(raw.createReceiver({ source: { address }, autoaccept: true }), 'the raw responder', 10_000));
      });
      after(() => transport?.close());

      /** Sends `body` as a reply to `request`, labelled `label` (correlation-id: the request's message-id unless given). */
      function answer(request: Message, label: string, body: unknown, correlationId: unknown = request.message_id) {
        return sendRaw(request.reply_to!, label, { correlation_id: correlationId as string, body });
      }

      /** Makes call `i` to the raw responder; resolves with the request it got and the call's pending result. */
      async function pendingCall(i: number) {
        const earlier = responder.received.length;
        const rpc = new RpcClient(log.transport, target, { timeoutMs: 10_000 });
        const result = firstValueFrom(rpc.call('ask', { i })).then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
        const [request] = (await responder.count(earlier + 1, 'the request at the raw responder', 10_000)).slice(earlier);
        return { request: request.message!, result };
      }

      /** How a reply nobody waits for must be settled: dropped, never handed back for redelivery. */
      function expectStray(got: SeenDisposition): void {
        const dropped = { disposition: 'modified', modified: { deliveryFailed: true, undeliverableHere: true } };
        // RabbitMQ 3.x refuses modified and redelivers a released message: there the count of deliveries tells
        if (fixture.refusesModified) expect(got.disposition, JSON.stringify(got)).to.not.equal('released');
        else expect(got, JSON.stringify(got)).to.deep.include(dropped);
      }

      it('drops a reply for no pending call (modified: delivery-failed, undeliverable-here), never sees it again, and goes on', async () => {
        const { request, result } = await pendingCall(1);
        const label = 'reply: unknown correlation-id';
        const stray = await answer(request, label, json({ response: 'stray' }), 'no-such-call');
        expectStray(await log.of(label));
        if (fixture.router) expect(stray).to.deep.include({ type: 'modified', deliveryFailed: true });
        else expect(stray.type).to.equal('accepted');
        await answer(request, 'reply: the real one', json({ response: 'real' }));
        expect(await within(result, 'the call to get its reply')).to.deep.equal({ value: 'real' });
        // two more round trips on the same reply link: a stray handed back would have come round again by now
        for (const i of [11, 12]) {
          const next = await pendingCall(i);
          await answer(next.request, `reply: round trip ${i}`, json({ response: i }));
          expect(await within(next.result, 'a later call')).to.deep.equal({ value: i });
        }
        expect(log.count(label), 'deliveries of the stray reply').to.equal(1);
      });

      it('takes the first of two replies with one correlation-id and drops the second like a stray one', async () => {
        const { request, result } = await pendingCall(2);
        await answer(request, 'reply: first', json({ response: 'first' }));
        const second = await answer(request, 'reply: duplicate', json({ response: 'second' }));
        expect(await within(result, 'the call to get its reply')).to.deep.equal({ value: 'first' });
        expect(await log.of('reply: first')).to.deep.include({ disposition: 'accepted' });
        expectStray(await log.of('reply: duplicate'));
        if (fixture.router) expect(second.type).to.equal('modified');
        const next = await pendingCall(3);
        await answer(next.request, 'reply: after the duplicate', json({ response: 'next' }));
        expect(await within(next.result, 'the next call')).to.deep.equal({ value: 'next' });
        expect(log.count('reply: duplicate'), 'deliveries of the duplicate').to.equal(1);
      });

      it('fails the call at once with InvalidMessage when its reply is not JSON, and accepts that reply', async () => {
        const { request, result } = await pendingCall(4);
        const started = Date.now();
        await answer(request, 'reply: not JSON', 'this is {not JSON');
        const outcome = (await within(result, 'the call to fail')) as { error?: unknown };
        expect(isMessagingError(outcome.error, 'InvalidMessage'), String(outcome.error)).to.equal(true);
        expect(Date.now() - started, 'long before the 10 s deadline').to.be.lessThan(5000);
        expect(await log.of('reply: not JSON')).to.deep.include({ disposition: 'accepted' });
      });
    });

    describe('to a notification listener', () => {
      let listener: Transport;
      let notifierTransport: Transport;
      let log: DispositionLog;
      let sub: Subscription;
      let address: string;
      const topic = uniqueName('badinput.notify');
      const got = new ReplaySubject<IncomingNotification>();

      before(async () => {
        listener = open({ maxMessageSize: LIMIT });
        notifierTransport = open();
        log = new DispositionLog(listener);
        sub = notificationListener(log.transport, [{ topic }], { priorities: ['info'] }).subscribe((n) => {
          n.ack();
          got.next(n);
        });
        await goodNotification('ready');
        const c = await listener.ready();
        address = createAddresser(listener.options, c.remoteProperties, listener.url.virtualHost).resolve(notificationTarget(topic, 'info'), 'notify');
      });
      after(async () => {
        sub?.unsubscribe();
        await Promise.all([listener?.close(), notifierTransport?.close()]);
      });

      /** A good notification through oslo-rx's Notifier (sent until the listener has one: its links may still be attaching). */
      async function goodNotification(eventType: string): Promise<void> {
        const notifier = new Notifier(notifierTransport, { publisherId: 'good', topics: [topic] });
        const arrived = seen(got, `the notification "${eventType}"`, (n) => n.eventType === eventType, 15_000);
        let done = false;
        void arrived.finally(() => (done = true)).catch(() => undefined);
        while (!done) {
          notifier.info({}, eventType, {}).subscribe({ error: () => undefined });
          await Promise.race([arrived.catch(() => undefined), firstValueFrom(timer(500))]);
        }
        await arrived;
      }

      const notification = (fields: Record<string, unknown>) => ({ message_id: 'n-1', publisher_id: 'raw', event_type: 'raw.event', priority: 'INFO', payload: {}, timestamp: '2026-01-01 00:00:00.000000', ...fields });
      const v2 = (inner: unknown) => json({ request: envelope(typeof inner === 'string' ? inner : json(inner)), context: {} });
      const cases: readonly Case[] = [
        ...BAD_BODIES,
        { title: 'an envelope whose oslo.message is not a string', message: { body: json({ request: envelope({ priority: 'INFO' }), context: {} }) }, expected: rejected() },
        { title: 'an envelope whose oslo.message is not JSON', message: { body: v2('{nope') }, expected: rejected() },
        { title: 'an envelope of version 3.0', message: { body: json({ request: { 'oslo.version': '3.0', 'oslo.message': '{}' }, context: {} }) }, expected: rejected() },
        { title: 'a request that is not a dict', message: { body: json({ request: ['INFO'], context: {} }) }, expected: rejected() },
        { title: 'a priority that is not a string', message: { body: v2(notification({ priority: 3 })) }, expected: rejected() },
        { title: 'an event type that is not a string', message: { body: v2(notification({ event_type: { x: 1 } })) }, expected: rejected() },
        { title: 'a context that is not a dict', message: { body: json({ request: notification({}), context: [1] }) }, expected: rejected() },
      ];

      for (const c of cases) {
        it(`rejects ${c.title} and goes on listening`, async () => {
          const label = `notify: ${c.title}`;
          const outcome = await sendRaw(address, label, c.message);
          expectDisposition(await log.of(label), c.expected);
          expectOutcome(outcome, c.expected);
          await goodNotification(label);
        });
      }

      it('delivers a v2 notification in a data section (as oslo reads it)', async () => {
        const label = 'notify: data section';
        const outcome = await sendRaw(address, label, { body: data(v2(notification({ event_type: label }))) });
        const n = await seen(got, 'the notification', (x) => x.eventType === label);
        expect(n.version).to.equal(2);
        expectDisposition(await log.of(label), accepted);
        expectOutcome(outcome, accepted);
      });

      it(`rejects a notification larger than its max_message_size (${LIMIT} bytes) with ${SIZE_EXCEEDED}`, async () => {
        const label = 'notify: oversize';
        const outcome = await sendRaw(address, label, { body: v2(notification({ event_type: label, payload: 'x'.repeat(4 * LIMIT) })) });
        expectOutcome(outcome, rejected(SIZE_EXCEEDED));
        await goodNotification(label);
        // the receiver link rejects it before the listener sees it
        expect(log.count(label), 'handed to the listener').to.equal(0);
      });

      it('delivers two notifications with one message_id both (no de-duplication, as oslo)', async () => {
        const label = 'notify: duplicate message_id';
        const body = v2(notification({ message_id: 'dup-1', event_type: label }));
        const outcomes = [await sendRaw(address, label, { body }), await sendRaw(address, label, { body })];
        let count = 0;
        await seen(got, 'both copies', (n) => n.eventType === label && ++count === 2);
        await seen(log.settled$, 'both settled', () => log.count(label) === 2);
        expect(log.all.filter((s) => s.label === label).map((s) => s.disposition)).to.deep.equal(['accepted', 'accepted']);
        outcomes.forEach((o) => expectOutcome(o, accepted));
      });
    });
  });
}
