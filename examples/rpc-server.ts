/**
 * A minimal oslo RPC server: the TypeScript counterpart of the seed's `my-server.py`.
 *
 *   npx tsx examples/rpc-server.ts Server01 [--url amqp://127.0.0.1:5672] [--topic my-topic]
 *
 * Serves methodA, methodB and echo on exchange "my-exchange", namespace "my-namespace".
 */
import { parseArgs } from 'node:util';
import { createTransport, dispatch, rpcServer } from '../lib';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string', default: process.env.OSLO_RX_URL ?? 'amqp://127.0.0.1:5672' },
    topic: { type: 'string', default: 'my-topic' },
    exchange: { type: 'string', default: 'my-exchange' },
    namespace: { type: 'string', default: 'my-namespace' },
  },
});
const server = positionals[0];
if (!server) {
  console.error('usage: rpc-server.ts <server-name> [--url URL] [--topic T] [--exchange E] [--namespace N]');
  process.exit(2);
}

/** The methods this server offers; each is called as method(context, args). */
const endpoint = {
  target: { namespace: values.namespace, version: '1.1' },
  methodA(_ctx: unknown, args: Record<string, unknown>) {
    console.log(`methodA called with ${JSON.stringify(args)}`);
    return { server, method: 'methodA', args };
  },
  async methodB(_ctx: unknown, args: Record<string, unknown>) {
    await new Promise((r) => setTimeout(r, 100));
    return { server, method: 'methodB', args };
  },
  echo(_ctx: unknown, args: Record<string, unknown>) {
    return args;
  },
};

const transport = createTransport(values.url!);
transport.state$.subscribe((s) => console.log(`connection: ${s.state}${'host' in s ? ` ${s.host}` : ''}`));
console.log(`Running server, name=${server} exchange=${values.exchange} topic=${values.topic} namespace=${values.namespace}`);
const subscription = rpcServer(transport, { exchange: values.exchange, topic: values.topic, server })
  .pipe(dispatch([endpoint]))
  .subscribe((d) => console.log(`${d.request.method} -> ${d.outcome}`));

const stop = async () => {
  subscription.unsubscribe();
  await transport.close({ drainMs: 2000 });
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
