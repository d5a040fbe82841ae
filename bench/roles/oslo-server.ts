/**
 * The oslo-rx RPC server: echoes `echo {data}` calls and counts casts, through `dispatch`.
 * With `hold`, it acks every request at once (so the session's window of unsettled transfers
 * does not cap how many arrive) and holds it unanswered until `release` (for the memory figures).
 */
import type { Subscription } from 'rxjs';
import type { IncomingRequest } from '../../lib';
import { osloRx } from '../oslo-rx';
import type { Role, RoleOptions } from '../role';
import { ServerCounter } from '../server-counter';
import { benchTransport } from './oslo-transport';

const { dispatch, rpcServer } = osloRx;

/** Starts the echo server (or, with `hold`, the holding one). */
export async function osloServer(options: RoleOptions & { hold?: boolean }): Promise<Role> {
  const transport = benchTransport(options);
  const counter = new ServerCounter();
  const held: IncomingRequest[] = [];
  const endpoint = {
    echo: (_ctx: unknown, args: { data: string }) => args.data,
    oneway: () => null,
  };
  const requests$ = rpcServer(transport, { topic: options.topic, server: 's1' }, { credit: options.credit });
  const subscription: Subscription = options.hold
    ? requests$.subscribe((request) => {
        request.ack();
        held.push(request);
        counter.count();
      })
    : requests$.pipe(dispatch([endpoint])).subscribe(() => counter.count());
  return {
    handle: (cmd, args) => {
      if (cmd === 'release') {
        const answers = held.splice(0).map((r) => r.reply((r.args as { data: string }).data));
        return Promise.all(answers).then(() => ({ released: answers.length }));
      }
      if (cmd === 'memory') return Promise.resolve(memoryFacts());
      return counter.handle(cmd, args);
    },
    close: async () => {
      subscription.unsubscribe();
      await transport.close();
    },
  };
}

/** Heap and RSS of this process, bytes (after a GC when it was started with --expose-gc). */
export function memoryFacts(): { heapUsed: number; rss: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, rss: m.rss };
}
