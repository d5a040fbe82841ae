/**
 * Fanout to several servers: three servers of one topic; calls go to one server each
 * (round robin on a broker), a fanout cast reaches every one of them.
 *
 *   npx tsx examples/fanout.ts                         # embedded broker, self-contained
 *   npx tsx examples/fanout.ts --url amqp://127.0.0.1:5672
 */
import { Subject, firstValueFrom, lastValueFrom, merge, range, mergeMap, scan, filter, timeout, toArray } from 'rxjs';
import { RpcClient, createTransport, dispatch, rpcServer } from '../lib';
import { runExample } from './support/run-example';

runExample(async ({ url }) => {
  const transport = createTransport(url);
  const topic = `fanout-example-${process.pid}`;
  const refreshed = new Subject<string>();

  // three servers on one connection, each with its own name
  const servers = merge(
    ...['server-1', 'server-2', 'server-3'].map((name) =>
      rpcServer(transport, { topic, server: name }).pipe(
        dispatch([
          {
            whoami: () => name,
            refresh: () => {
              console.log(`${name}: refresh (fanout)`);
              refreshed.next(name);
            },
          },
        ]),
      ),
    ),
  ).subscribe();

  const client = new RpcClient(transport, { topic }, { timeoutMs: 10_000 });
  // a call goes to one server of the topic; six calls spread over the servers
  const answeredBy = await lastValueFrom(range(0, 6).pipe(mergeMap(() => client.call<string>('whoami'), 1), toArray()));
  console.log(`six calls answered by: ${answeredBy.join(', ')}`);

  // a fanout cast goes to every server of the topic
  const allRefreshed = firstValueFrom(
    refreshed.pipe(
      scan((seen, name) => seen.add(name), new Set<string>()),
      filter((seen) => seen.size === 3),
      timeout(10_000),
    ),
  );
  await lastValueFrom(client.prepare({ fanout: true }).cast('refresh'), { defaultValue: undefined });
  await allRefreshed;
  console.log('the fanout cast reached all three servers');

  servers.unsubscribe();
  await transport.close();
});
