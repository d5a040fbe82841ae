/**
 * Versioned endpoints with namespaces: one server offers a `compute` namespace at
 * version 1.3 and a `storage` namespace at 2.0. A client capped at 1.2 asks
 * `canSendVersion()` before using a 1.3 method, as oslo clients do during an upgrade.
 *
 *   npx tsx examples/versioned.ts                      # embedded broker, self-contained
 *   npx tsx examples/versioned.ts --url amqp://127.0.0.1:5672
 */
import { firstValueFrom } from 'rxjs';
import { RemoteError, RpcClient, createTransport, dispatch, rpcServer } from '../lib';
import { runExample } from './support/run-example';

runExample(async ({ url }) => {
  const transport = createTransport(url);
  const topic = `versioned-example-${process.pid}`;

  const compute = {
    target: { namespace: 'compute', version: '1.3' },
    boot: (_ctx: unknown, { name }: { name: string }) => `booted ${name}`, // since 1.0
    resize: (_ctx: unknown, { name, flavor }: { name: string; flavor: string }) => `${name} is now ${flavor}`, // since 1.3
  };
  const storage = {
    target: { namespace: 'storage', version: '2.0' },
    attach: (_ctx: unknown, { volume }: { volume: string }) => `attached ${volume}`,
  };
  const server = rpcServer(transport, { topic, server: 'host-1' }).pipe(dispatch([compute, storage])).subscribe();

  // an old client: it may send at most 1.2, whatever its calls ask for
  const client = new RpcClient(transport, { topic, namespace: 'compute', version: '1.0' }, { versionCap: '1.2', timeoutMs: 10_000 });
  console.log(await firstValueFrom(client.call<string>('boot', { name: 'vm-1' })));

  // oslo's upgrade pattern: use the new method only when the cap allows it
  if (client.canSendVersion('1.3')) {
    console.log(await firstValueFrom(client.prepare({ version: '1.3' }).call<string>('resize', { name: 'vm-1', flavor: 'large' })));
  } else {
    console.log('canSendVersion("1.3") is false under cap 1.2: falling back to boot with the new flavor');
    console.log(await firstValueFrom(client.call<string>('boot', { name: 'vm-1-large' })));
  }

  // a newer client, no cap, calls the 1.3 method
  const newer = new RpcClient(transport, { topic, namespace: 'compute', version: '1.3' }, { timeoutMs: 10_000 });
  console.log(`canSendVersion("1.3") without a cap: ${newer.canSendVersion('1.3')}`);
  console.log(await firstValueFrom(newer.call<string>('resize', { name: 'vm-2', flavor: 'small' })));

  // another namespace, another major version
  const volumes = new RpcClient(transport, { topic, namespace: 'storage', version: '2.0' }, { timeoutMs: 10_000 });
  console.log(await firstValueFrom(volumes.call<string>('attach', { volume: 'vol-7' })));

  // what the server answers to a version it does not have: same major, minor too high
  try {
    await firstValueFrom(newer.prepare({ version: '1.4' }).call('resize', { name: 'vm-3', flavor: 'huge' }));
    throw new Error('version 1.4 should have been refused');
  } catch (e) {
    if (!(e instanceof RemoteError) || e.className !== 'UnsupportedVersion') throw e;
    console.log(`version 1.4 refused by the server: ${e.className}`);
  }

  server.unsubscribe();
  await transport.close();
});
