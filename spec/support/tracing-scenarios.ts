/**
 * Tracing scenarios (spans, their kinds and parents across the wire), run on several
 * intermediaries with an in-memory OpenTelemetry exporter.
 */
import { expect } from 'chai';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NEVER, type Subscription, firstValueFrom, lastValueFrom, mergeMap } from 'rxjs';
import { type AmqpOptions, MessagingTimeout, Notifier, RemoteError, RpcClient, type Transport, createTransport, dispatch, notificationListener, rpcServer } from '../../lib';
import { useInMemoryTracing } from './in-memory-tracing';
import { first, uniqueName, within } from './wait';

/** How a suite reaches one intermediary. */
export interface TracingFixture {
  /** Suite title. */
  readonly name: string;
  /** Starts or checks the intermediary. */
  setup(ctx: Mocha.Context): Promise<void>;
  /** Clean-up. */
  teardown?(): Promise<void>;
  /** The transport URL. */
  url(): string;
  /** Extra transport options. */
  readonly options?: Partial<AmqpOptions>;
  /** Run every scenario (errors, timeouts, cancellation, nesting), not only a call and a notification. */
  readonly all?: boolean;
  /** Register the W3C propagator globally (default true); false: oslo-rx writes traceparent itself. */
  readonly propagator?: boolean;
}

const W3C_TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;

/** True when `child`'s parent is `parent` (same trace, parent span id). */
function isChildOf(child: ReadableSpan, parent: ReadableSpan): boolean {
  const p = child.parentSpanContext;
  return p?.traceId === parent.spanContext().traceId && p.spanId === parent.spanContext().spanId;
}

/** Registers the tracing scenarios for `fixture`. */
export function tracingScenarios(fixture: TracingFixture): void {
  describe(`tracing on ${fixture.name}`, function () {
    this.timeout(60_000);
    const tracing = useInMemoryTracing({ propagator: fixture.propagator ?? true });
    let client: Transport;
    let server: Transport;
    const subs: Subscription[] = [];
    before(async function () {
      await fixture.setup(this);
      client = createTransport(fixture.url(), { ...fixture.options });
      server = createTransport(fixture.url(), { ...fixture.options });
    });
    after(async () => {
      await Promise.all([client?.close(), server?.close()]);
      await fixture.teardown?.();
    });
    beforeEach(() => tracing.reset());
    afterEach(() => subs.splice(0).forEach((s) => s.unsubscribe()));

    /** Starts a dispatching server on a fresh topic and waits until its links are attached. */
    async function serve(endpoint: object): Promise<string> {
      const topic = uniqueName('traced');
      subs.push(rpcServer(server, { topic, server: 's1' }).pipe(dispatch([endpoint])).subscribe());
      await first(server.health$, 'the server links to attach', 15_000, (h) => h.ready);
      return topic;
    }

    it('a call: a CLIENT span, and the SERVER span of its dispatch is its child, with traceparent on the wire', async () => {
      const seen: unknown[] = [];
      const topic = uniqueName('traced');
      subs.push(
        rpcServer(server, { topic, server: 's1' })
          .pipe(
            mergeMap(async (r) => {
              seen.push(r.delivery.message.application_properties);
              await r.reply({ echoed: r.args });
              r.ack();
            }),
          )
          .subscribe(),
      );
      await first(server.health$, 'the server links to attach', 15_000, (h) => h.ready);
      const rpc = new RpcClient(client, { topic }, { timeoutMs: 15_000 });
      expect(await firstValueFrom(rpc.call('echo', { a: 1 }))).to.deep.equal({ echoed: { a: 1 } });
      const call = await tracing.waitForSpan('the call', (s) => s.kind === SpanKind.CLIENT);
      const handled = await tracing.waitForSpan('the dispatch', (s) => s.kind === SpanKind.SERVER);
      expect(call.name).to.equal(`${topic}/echo`);
      expect(handled.name).to.equal(`${topic}/echo`);
      expect(isChildOf(handled, call), 'the server span continues the call span').to.equal(true);
      expect(call.attributes).to.include({ 'rpc.method': 'echo', 'rpc.service': topic, 'messaging.operation.name': 'call', 'messaging.system': 'oslo.messaging' });
      expect(call.attributes['messaging.destination.name']).to.be.a('string').and.include(topic);
      expect(handled.attributes).to.include({ 'rpc.method': 'echo', 'messaging.operation.type': 'process' });
      expect(call.status.code).to.equal(SpanStatusCode.UNSET);
      expect(seen).to.have.length(1);
      const props = seen[0] as Record<string, unknown>;
      expect(props.traceparent).to.match(W3C_TRACEPARENT);
      expect(props.traceparent).to.include(call.spanContext().spanId);
    });

    it('a notification: a PRODUCER span, and the CONSUMER span of the listener is in its trace', async () => {
      const topic = uniqueName('traced-notify');
      const got: string[] = [];
      subs.push(
        notificationListener(server, [{ topic }], { priorities: ['info'] }).subscribe((n) => {
          got.push(String(n.eventType));
          n.ack();
        }),
      );
      await first(server.health$, 'the listener links to attach', 15_000, (h) => h.ready);
      const notifier = new Notifier(client, { publisherId: 'tracing.spec', topics: [topic] });
      await lastValueFrom(notifier.info({}, 'thing.happened', { n: 1 }), { defaultValue: undefined });
      const sent = await tracing.waitForSpan('the notify', (s) => s.kind === SpanKind.PRODUCER);
      const processed = await tracing.waitForSpan('the listener', (s) => s.kind === SpanKind.CONSUMER);
      expect(got).to.deep.equal(['thing.happened']);
      expect(sent.name).to.equal(`send ${topic}.info`);
      expect(processed.name).to.equal(`process ${topic}.info`);
      expect(sent.attributes).to.include({ 'oslo.event_type': 'thing.happened', 'messaging.operation.type': 'send' });
      expect(processed.attributes).to.include({ 'oslo.event_type': 'thing.happened', 'messaging.operation.type': 'process' });
      expect(isChildOf(processed, sent), "the listener span continues the notifier's").to.equal(true);
    });

    if (!fixture.all) return;

    it('a cast: a PRODUCER span, and the SERVER span of its dispatch is its child', async () => {
      let pinged!: () => void;
      const ran = new Promise<void>((r) => (pinged = r));
      const topic = await serve({ ping: () => pinged() });
      await firstValueFrom(new RpcClient(client, { topic }).cast('ping'));
      await within(ran, 'the cast to run');
      const cast = await tracing.waitForSpan('the cast', (s) => s.kind === SpanKind.PRODUCER);
      const handled = await tracing.waitForSpan('the dispatch', (s) => s.kind === SpanKind.SERVER);
      expect(cast.name).to.equal(`${topic}/ping`);
      expect(cast.attributes).to.include({ 'messaging.operation.name': 'cast' });
      expect(isChildOf(handled, cast)).to.equal(true);
    });

    it('a call that fails remotely ends both spans with error status', async () => {
      const topic = await serve({
        boom: () => {
          throw Object.assign(new Error('no such thing'), { pythonClass: 'ValueError', pythonModule: 'builtins' });
        },
      });
      const e = await firstValueFrom(new RpcClient(client, { topic }, { timeoutMs: 15_000 }).call('boom')).catch((x: unknown) => x);
      expect(e).to.be.instanceOf(RemoteError);
      const call = await tracing.waitForSpan('the call', (s) => s.kind === SpanKind.CLIENT);
      const handled = await tracing.waitForSpan('the dispatch', (s) => s.kind === SpanKind.SERVER);
      expect(call.status.code).to.equal(SpanStatusCode.ERROR);
      expect(call.attributes['error.type']).to.equal('ValueError');
      expect(call.events.map((ev) => ev.name)).to.include('exception');
      expect(handled.status).to.deep.include({ code: SpanStatusCode.ERROR, message: 'no such thing' });
    });

    it('a call that times out ends its span with error status', async () => {
      const topic = await serve({ hang: () => NEVER });
      const e = await firstValueFrom(new RpcClient(client, { topic }, { timeoutMs: 300 }).call('hang')).catch((x: unknown) => x);
      expect(e).to.be.instanceOf(MessagingTimeout);
      const call = await tracing.waitForSpan('the call', (s) => s.kind === SpanKind.CLIENT);
      expect(call.status.code).to.equal(SpanStatusCode.ERROR);
      expect(call.attributes['error.type']).to.equal((e as Error).name);
    });

    it('a cancelled call ends its span as cancelled, not failed', async () => {
      let started!: () => void;
      const running = new Promise<void>((r) => (started = r));
      const topic = await serve({
        hang: () => {
          started();
          return NEVER;
        },
      });
      const sub = new RpcClient(client, { topic }, { timeoutMs: 15_000 }).call('hang').subscribe();
      await within(running, 'the method to start');
      sub.unsubscribe();
      const call = await tracing.waitForSpan('the call', (s) => s.kind === SpanKind.CLIENT);
      expect(call.status.code).to.equal(SpanStatusCode.UNSET);
      expect(call.attributes['oslo.cancelled']).to.equal(true);
    });

    it('a call made by a method runs in its server span: the inner call is its child', async () => {
      const inner = await serve({ leaf: () => 'leaf' });
      const innerClient = new RpcClient(server, { topic: inner }, { timeoutMs: 15_000 });
      const outer = await serve({ branch: () => firstValueFrom(innerClient.call<string>('leaf')) });
      expect(await firstValueFrom(new RpcClient(client, { topic: outer }, { timeoutMs: 15_000 }).call('branch'))).to.equal('leaf');
      const outerServer = await tracing.waitForSpan('the outer dispatch', (s) => s.kind === SpanKind.SERVER && s.name === `${outer}/branch`);
      const innerCall = await tracing.waitForSpan('the inner call', (s) => s.kind === SpanKind.CLIENT && s.name === `${inner}/leaf`);
      const outerCall = await tracing.waitForSpan('the outer call', (s) => s.kind === SpanKind.CLIENT && s.name === `${outer}/branch`);
      expect(isChildOf(outerServer, outerCall)).to.equal(true);
      expect(isChildOf(innerCall, outerServer), 'the inner call is a child of the outer server span').to.equal(true);
    });
  });
}
