/**
 * A minimal oslo RPC client: the TypeScript counterpart of the seed's `my-client.py`.
 *
 *   npx tsx examples/rpc-client.ts my-topic methodA arg1 arg2 [--server Server01] [--fanout] [--cast]
 *
 * Positional arguments after the method become args {arg1: 'arg1', ...}; `key=value`
 * pairs become {key: value}.
 */
import { parseArgs } from 'node:util';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { RpcClient, createTransport } from '../lib';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string', default: process.env.OSLO_RX_URL ?? 'amqp://127.0.0.1:5672' },
    exchange: { type: 'string', default: 'my-exchange' },
    namespace: { type: 'string', default: 'my-namespace' },
    server: { type: 'string' },
    fanout: { type: 'boolean', default: false },
    cast: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '30' },
  },
});
const [topic, method, ...rest] = positionals;
if (!topic || !method) {
  console.error('usage: rpc-client.ts <topic> <method> [args...] [--server S] [--fanout] [--cast] [--url URL]');
  process.exit(2);
}
const args = Object.fromEntries(rest.map((a) => (a.includes('=') ? a.split(/=(.*)/s).slice(0, 2) : [a, a])));

async function main(): Promise<void> {
  const transport = createTransport(values.url!);
  const client = new RpcClient(
    transport,
    { exchange: values.exchange, topic, namespace: values.namespace, server: values.server, fanout: values.fanout },
    { timeoutMs: Number(values.timeout) * 1000 },
  );
  console.log(`Calling server on topic ${topic}, server=${values.server ?? 'None'} exchange=${values.exchange} namespace=${values.namespace} fanout=${values.fanout}`);
  try {
    if (values.cast || values.fanout) {
      await lastValueFrom(client.cast(method, args), { defaultValue: undefined });
      console.log('cast sent');
    } else {
      console.log('result:', JSON.stringify(await firstValueFrom(client.call(method, args))));
    }
  } finally {
    await transport.close();
  }
}

main().catch((e: Error) => {
  console.error(`${e.name}: ${e.message}`);
  process.exit(1);
});
