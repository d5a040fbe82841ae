/**
 * Reconnect, live: prints `transport.state$` while the embedded broker stops and starts
 * again on the same port; an RPC server and client on that transport carry on by
 * themselves (links come back after the reconnect).
 *
 *   npx tsx examples/reconnect.ts                      # stops and restarts an embedded broker
 *   npx tsx examples/reconnect.ts --url amqp://127.0.0.1:5672 [--watch 60]
 *                                                      # restart your broker within 60 s to see it
 */
import { firstValueFrom } from 'rxjs';
import { RpcClient, createTransport, dispatch, rpcServer } from '../lib';
import { startEmbeddedIntermediary, waitForState } from '../lib/testing';
import { runExample } from './support/run-example';

runExample(
  async ({ url, embedded, options }) => {
    // quick retries, so the demo does not wait long
    const transport = createTransport(url, { connectionRetryIntervalMs: 1000, connectionRetryIntervalMaxMs: 2000 });
    const t0 = Date.now();
    const states = transport.state$.subscribe((s) => {
      const at = `${((Date.now() - t0) / 1000).toFixed(1)}s`;
      const detail = s.state === 'open' ? `${s.host} (${s.addressing})` : s.state === 'disconnected' ? `${s.host}: ${s.error.message}; retry in ${s.retryInMs} ms` : s.state === 'connecting' ? `${s.host}, attempt ${s.attempt}` : '';
      console.log(`[${at}] ${s.state} ${detail}`);
    });
    const topic = `reconnect-example-${process.pid}`;
    const server = rpcServer(transport, { topic, server: 's1' }).pipe(dispatch([{ ping: () => 'pong' }])).subscribe();
    const client = new RpcClient(transport, { topic }, { timeoutMs: 20_000 });
    console.log(`call before: ${await firstValueFrom(client.call('ping'))}`);

    if (embedded) {
      console.log('stopping the embedded broker');
      await embedded.stop();
      await waitForState(transport, 'disconnected');
      const restarted = await startEmbeddedIntermediary({ mode: 'broker', port: embedded.port });
      console.log(`broker started again on port ${restarted.port}`);
      try {
        await waitForState(transport, 'open', { timeoutMs: 30_000 });
        console.log(`call after the reconnect: ${await firstValueFrom(client.call('ping'))}`);
      } finally {
        server.unsubscribe();
        await transport.close();
        await restarted.stop();
      }
    } else {
      const seconds = Number(options.watch);
      console.log(`watching for ${seconds} s: restart the broker to see the transport reconnect`);
      try {
        await waitForState(transport, 'disconnected', { timeoutMs: seconds * 1000 });
        await waitForState(transport, 'open', { timeoutMs: 60_000 });
        console.log(`call after the reconnect: ${await firstValueFrom(client.call('ping'))}`);
      } catch (e) {
        if ((e as Error).name !== 'MessagingTimeout') throw e;
        console.log(`no reconnect within ${seconds} s`);
      } finally {
        server.unsubscribe();
        await transport.close();
      }
    }
    states.unsubscribe();
  },
  { watch: '60' },
);
