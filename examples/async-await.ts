/**
 * Calls from Promise / async-await code: `firstValueFrom` turns a call into a Promise,
 * `try/catch` sees remote errors, `Promise.all` runs calls together, and an AbortSignal
 * cancels a call (unsubscribing cancels it: a late reply is dropped).
 *
 *   npx tsx examples/async-await.ts                    # embedded broker, self-contained
 *   npx tsx examples/async-await.ts --url amqp://127.0.0.1:5672
 */
import { type Observable, firstValueFrom, fromEvent, map, takeUntil, throwIfEmpty, timer } from 'rxjs';
import { RemoteError, RpcClient, createTransport, dispatch, rpcServer } from '../lib';
import { runExample } from './support/run-example';

/** The first value of `source` as a Promise that rejects with the signal's reason when it aborts first. */
function firstValueWithSignal<T>(source: Observable<T>, signal: AbortSignal): Promise<T> {
  return firstValueFrom(
    source.pipe(
      takeUntil(fromEvent(signal, 'abort')),
      throwIfEmpty(() => signal.reason as Error),
    ),
  );
}

runExample(async ({ url }) => {
  const transport = createTransport(url);
  const topic = `async-example-${process.pid}`;
  const server = rpcServer(transport, { topic, server: 's1' })
    .pipe(
      dispatch([
        {
          add: (_ctx: unknown, { a, b }: { a: number; b: number }) => a + b,
          slow: (_ctx: unknown, { ms }: { ms: number }) => timer(ms).pipe(map(() => 'finally')),
          divide: (_ctx: unknown, { a, b }: { a: number; b: number }) => {
            if (b === 0) throw Object.assign(new Error('division by zero'), { pythonClass: 'ZeroDivisionError', pythonModule: 'builtins' });
            return a / b;
          },
        },
      ]),
    )
    .subscribe();
  const client = new RpcClient(transport, { topic }, { timeoutMs: 10_000 });

  // one call, awaited
  const sum = await firstValueFrom(client.call<number>('add', { a: 2, b: 3 }));
  console.log(`add(2, 3) = ${sum}`);

  // several at once
  const sums = await Promise.all([1, 2, 3].map((a) => firstValueFrom(client.call<number>('add', { a, b: 10 }))));
  console.log(`Promise.all: ${sums.join(', ')}`);

  // a remote exception is a rejected Promise with the remote class name
  try {
    await firstValueFrom(client.call('divide', { a: 1, b: 0 }));
  } catch (e) {
    if (!(e instanceof RemoteError)) throw e;
    console.log(`divide(1, 0) raised ${e.className}: ${e.remoteMessage}`);
  }

  // cancelled by an AbortSignal: here a 300 ms timeout on a 5 s method
  const t0 = Date.now();
  try {
    await firstValueWithSignal(client.call('slow', { ms: 5000 }), AbortSignal.timeout(300));
    throw new Error('the slow call should have been cancelled');
  } catch (e) {
    if ((e as Error).name !== 'TimeoutError') throw e;
    console.log(`slow() cancelled by AbortSignal.timeout(300) after ${Date.now() - t0} ms`);
  }

  // an AbortController a user's code holds
  const controller = new AbortController();
  const pending = firstValueWithSignal(client.call('slow', { ms: 5000 }), controller.signal);
  controller.abort(new Error('user pressed cancel'));
  await pending.then(
    () => {
      throw new Error('should have been aborted');
    },
    (e: Error) => console.log(`slow() aborted: ${e.message}`),
  );

  server.unsubscribe();
  await transport.close({ drainMs: 0 });
});
