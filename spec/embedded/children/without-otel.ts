/**
 * A call, a cast and a notification through the embedded broker in a process where
 * `@opentelemetry/api` cannot be resolved (as when it is not installed): prints one JSON
 * line with what happened.
 */
import Module from 'node:module';

const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolve = resolver._resolveFilename;
resolver._resolveFilename = function (request: string, ...rest: unknown[]) {
  if (request === '@opentelemetry/api' || request.startsWith('@opentelemetry/')) {
    throw Object.assign(new Error(`Cannot find module '${request}'`), { code: 'MODULE_NOT_FOUND' });
  }
  return resolve.call(this, request, ...rest);
};

async function main(): Promise<void> {
  const { firstValueFrom, lastValueFrom, mergeMap } = await import('rxjs');
  const { Notifier, RpcClient, createTransport, dispatch, notificationListener, rpcServer } = await import('../../../lib');
  const { startEmbeddedIntermediary } = await import('../../../lib/testing');
  const { otelApi } = await import('../../../lib/tracing');
  const broker = await startEmbeddedIntermediary({ mode: 'broker' });
  const transport = createTransport(broker.url);
  const props: unknown[] = [];
  const serving = rpcServer(transport, { topic: 'no-otel', server: 's1' })
    .pipe(
      mergeMap(async (r) => {
        props.push(r.delivery.message.application_properties ?? null);
        return r;
      }),
      mergeMap((r) => [r]),
      dispatch([{ add: (_c: unknown, { a, b }: { a: number; b: number }) => a + b, ping: () => undefined }]),
    )
    .subscribe();
  let notified: (v: unknown) => void;
  const notification = new Promise((r) => (notified = r));
  const listening = notificationListener(transport, [{ topic: 'no-otel' }], { priorities: ['info'] }).subscribe((n) => {
    n.ack();
    notified(n.eventType);
  });
  const client = new RpcClient(transport, { topic: 'no-otel' }, { timeoutMs: 10_000 });
  const sum = await firstValueFrom(client.call<number>('add', { a: 2, b: 3 }));
  await firstValueFrom(client.cast('ping'));
  await lastValueFrom(new Notifier(transport, { publisherId: 'child', topics: ['no-otel'] }).info({}, 'no.otel', {}), { defaultValue: undefined });
  const eventType = await notification;
  serving.unsubscribe();
  listening.unsubscribe();
  await transport.close();
  await broker.stop();
  process.stdout.write(`${JSON.stringify({ api: otelApi() === undefined ? 'absent' : 'present', sum, eventType, props })}\n`);
  // (a process that sent something is held ~30 s after close(), with or without tracing: not this test's subject)
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error)?.stack ?? e}\n`);
  process.exit(1);
});
