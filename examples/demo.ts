/**
 * The main demo (`npm start`): an embedded intermediary, two RPC servers and a client, a
 * notifier and a batching listener, all in one process. No broker needed.
 */
import { bufferCount, firstValueFrom, lastValueFrom, range, mergeMap, toArray, of } from 'rxjs';
import { Notifier, RemoteError, RpcClient, ackBatch, createTransport, dispatch, filterNotifications, notificationListener, rpcServer } from '../lib';
import { startEmbeddedIntermediary } from '../lib/testing';

const log = (who: string, what: string) => console.log(`${who.padEnd(12)} ${what}`);

async function main(): Promise<void> {
  const intermediary = await startEmbeddedIntermediary({ mode: 'broker' });
  log('intermediary', `embedded broker listening at ${intermediary.url}`);

  const serverTransport = createTransport(intermediary.url);
  const clientTransport = createTransport(intermediary.url);
  clientTransport.state$.subscribe((s) => log('client', `connection ${s.state}`));

  const calculator = (name: string) => ({
    add: (_ctx: unknown, { a, b }: { a: number; b: number }) => a + b,
    whoami: () => name,
    divide: (_ctx: unknown, { a, b }: { a: number; b: number }) => {
      if (b === 0) throw Object.assign(new Error('division by zero'), { pythonClass: 'ZeroDivisionError', pythonModule: 'builtins' });
      return a / b;
    },
    refresh: () => log(name, 'refresh (fanout cast) received'),
  });
  const servers = ['server-1', 'server-2'].map((name) =>
    rpcServer(serverTransport, { topic: 'calculator', server: name })
      .pipe(dispatch([calculator(name)]))
      .subscribe((d) => log(name, `${d.request.method}(${JSON.stringify(d.request.args)}) -> ${d.outcome}`)),
  );

  const client = new RpcClient(clientTransport, { topic: 'calculator' }, { timeoutMs: 5000 });
  await firstValueFrom(client.prepare({ server: 'server-1' }).call('whoami'));
  await firstValueFrom(client.prepare({ server: 'server-2' }).call('whoami'));

  log('client', `add(2, 3) = ${await firstValueFrom(client.call<number>('add', { a: 2, b: 3 }))}`);
  const who = await lastValueFrom(range(0, 4).pipe(mergeMap(() => client.call<string>('whoami')), toArray()));
  log('client', `four calls on the topic were served by: ${who.join(', ')}`);
  log('client', `server-2 by name: ${await firstValueFrom(client.prepare({ server: 'server-2' }).call('whoami'))}`);
  try {
    await firstValueFrom(client.call('divide', { a: 1, b: 0 }));
  } catch (e) {
    if (e instanceof RemoteError) log('client', `divide(1, 0) raised ${e.module}.${e.className}: ${e.remoteMessage}`);
    else throw e;
  }
  await lastValueFrom(client.prepare({ fanout: true }).cast('refresh'), { defaultValue: undefined });
  log('client', 'fanout cast sent');
  await new Promise((r) => setTimeout(r, 200));

  // notifications: a listener that keeps compute events and handles them in batches of 3
  let handled = 0;
  let allHandled!: () => void;
  const done = new Promise<void>((r) => (allHandled = r));
  const listener = notificationListener(serverTransport, [{ topic: 'notifications' }])
    .pipe(
      filterNotifications({ eventType: /^compute\./ }),
      bufferCount(3),
      mergeMap((batch) => of(batch).pipe(ackBatch(batch))),
    )
    .subscribe((batch) => {
      log('listener', `batch: ${batch.map((n) => `${n.priority} ${n.eventType}`).join(', ')}`);
      handled += batch.length;
      if (handled === 3) allHandled();
    });
  const notifier = new Notifier(clientTransport, { publisherId: 'compute.host1' });
  await lastValueFrom(notifier.info({ user_id: 'demo' }, 'compute.instance.create.start', { id: 1 }), { defaultValue: undefined });
  await lastValueFrom(notifier.debug({}, 'network.port.update', { id: 2 }), { defaultValue: undefined });
  await lastValueFrom(notifier.info({}, 'compute.instance.create.end', { id: 1 }), { defaultValue: undefined });
  await lastValueFrom(notifier.error({}, 'compute.instance.delete.error', { id: 3 }), { defaultValue: undefined });
  log('notifier', 'sent 4 notifications (one is filtered out by the listener)');
  await done;
  listener.unsubscribe();

  servers.forEach((s) => s.unsubscribe());
  await clientTransport.close();
  await serverTransport.close();
  await intermediary.stop();
  log('intermediary', 'stopped; demo done');
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
