/**
 * The oslo-rx notification listener: acks each notification, or with `batch` acks them in
 * batches made by `bufferTime(1000, null, 100)` and `ackBatch`.
 */
import { EMPTY, type Subscription, bufferTime, filter, mergeMap, of } from 'rxjs';
import { osloRx } from '../oslo-rx';
import type { Role, RoleOptions } from '../role';
import { ServerCounter } from '../server-counter';
import { benchTransport } from './oslo-transport';

const { ackBatch, notificationListener } = osloRx;

/** Starts the listener on `<topic>.info`. */
export async function osloListener(options: RoleOptions): Promise<Role> {
  const transport = benchTransport(options);
  const counter = new ServerCounter();
  const notifications$ = notificationListener(transport, [{ topic: options.topic }], { priorities: ['info'], credit: options.credit ?? 200 });
  const subscription: Subscription = options.batch
    ? notifications$
        .pipe(
          bufferTime(1000, null, 100),
          filter((batch) => batch.length > 0),
          mergeMap((batch) => of(batch.length).pipe(ackBatch(batch))),
        )
        .subscribe((n) => counter.count(n))
    : notifications$
        .pipe(
          mergeMap((n) => {
            n.ack();
            counter.count();
            return EMPTY;
          }),
        )
        .subscribe();
  return {
    handle: (cmd, args) => counter.handle(cmd, args),
    close: async () => {
      subscription.unsubscribe();
      await transport.close();
    },
  };
}
