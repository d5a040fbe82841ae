/**
 * Tracing through the embedded intermediary (broker and router): every scenario, with the
 * global W3C propagator and with oslo-rx's own traceparent writer; and with tracing off.
 */
import { expect } from 'chai';
import { type Subscription, firstValueFrom, mergeMap } from 'rxjs';
import { RpcClient, type Transport, createTransport, rpcServer } from '../../lib';
import { type EmbeddedIntermediary, startEmbeddedIntermediary } from '../../lib/testing';
import { activeTracer, startSendSpan } from '../../lib/tracing';
import { tracingScenarios } from '../support/tracing-scenarios';
import { first, uniqueName } from '../support/wait';
import { runScript } from '../support/node-script';

for (const mode of ['broker', 'router'] as const) {
  for (const propagator of [true, false]) {
    let intermediary: EmbeddedIntermediary | undefined;
    tracingScenarios({
      name: `the embedded intermediary (${mode}, ${propagator ? 'global W3C propagator' : 'no global propagator'})`,
      setup: async () => void (intermediary = await startEmbeddedIntermediary({ mode })),
      teardown: async () => void (await intermediary?.stop()),
      url: () => intermediary!.url,
      all: true,
      propagator,
    });
  }
}

describe('tracing off (no tracer provider registered)', function () {
  this.timeout(30_000);
  let intermediary: EmbeddedIntermediary;
  let transport: Transport;
  let sub: Subscription | undefined;
  before(async () => {
    intermediary = await startEmbeddedIntermediary({ mode: 'broker' });
    transport = createTransport(intermediary.url);
  });
  after(async () => {
    sub?.unsubscribe();
    await transport.close();
    await intermediary.stop();
  });

  it('makes no span and puts no trace context on the wire; calls work as ever', async () => {
    expect(activeTracer()).to.equal(undefined);
    expect(startSendSpan('call', 'm', 't')).to.equal(undefined);
    const topic = uniqueName('untraced');
    const seen: unknown[] = [];
    sub = rpcServer(transport, { topic, server: 's1' })
      .pipe(
        mergeMap(async (r) => {
          seen.push(r.delivery.message.application_properties);
          r.withTraceContext(() => undefined);
          await r.reply('ok');
          r.ack();
        }),
      )
      .subscribe();
    await first(transport.health$, 'the server links to attach', 15_000, (h) => h.ready);
    expect(await firstValueFrom(new RpcClient(transport, { topic }).call('anything'))).to.equal('ok');
    expect(seen).to.have.length(1);
    expect(seen[0] ?? {}).to.not.have.any.keys('traceparent', 'tracestate');
  });
});

describe('without @opentelemetry/api installed', function () {
  this.timeout(60_000);

  it('calls, casts and notifies as ever, with no trace context on the wire', async () => {
    const r = await runScript('spec/embedded/children/without-otel.ts', [], 45_000);
    expect(r.code, r.err).to.equal(0);
    const result = JSON.parse(r.out.trim().split('\n').pop()!) as { api: string; sum: number; eventType: string; props: unknown[] };
    expect(result).to.deep.include({ api: 'absent', sum: 5, eventType: 'no.otel' });
    expect(result.props).to.have.length(2);
    for (const p of result.props) expect(p ?? {}).to.not.have.any.keys('traceparent', 'tracestate');
  });
});
