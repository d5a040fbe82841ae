/**
 * The raw rhea-promise client, written by hand: `rpc` sends each request on one plain sender
 * (rhea queues what it has no credit for) with `reply_to` the client's reply receiver, and a
 * Map on `correlation_id` resolves the waiting call; `oneway` sends on an awaitable sender (once
 * it has credit) and waits for the intermediary's accept.
 */
import { type EventContext, SenderEvents } from 'rhea-promise';
import { closedLoop } from '../closed-loop';
import { PAYLOAD, type Role, type RoleOptions } from '../role';
import { rawConnection } from './raw-connection';

/** Starts the raw client for the queue `options.topic`. */
export async function rawClient(options: RoleOptions & { onewayAddress?: string }): Promise<Role> {
  const connection = await rawConnection(options.url);
  const pending = new Map<string, () => void>();
  const replies = await connection.createReceiver({
    source: options.replyAddress ? { address: options.replyAddress } : ({ dynamic: true } as never),
    credit_window: 200,
    onError: () => undefined,
    onMessage: (context: EventContext) => {
      const id = String(context.message!.correlation_id);
      const done = pending.get(id);
      if (!done) return;
      pending.delete(id);
      JSON.parse(String(context.message!.body));
      done();
    },
  });
  const replyTo = options.replyAddress ?? String(replies.source.address);
  const sender = await connection.createSender({ target: { address: options.topic } });
  const oneway = await connection.createAwaitableSender({ target: { address: options.onewayAddress ?? options.topic } });
  const waitingForCredit: (() => void)[] = [];
  oneway.on(SenderEvents.sendable, () => {
    while (waitingForCredit.length > 0 && oneway.sendable()) waitingForCredit.shift()!();
  });
  const sendOneway = async () => {
    while (!oneway.sendable()) await new Promise<void>((go) => waitingForCredit.push(go));
    await oneway.send({ body: JSON.stringify({ method: 'oneway', args: { data: PAYLOAD } }) });
  };
  let nextId = 0;
  const call = () =>
    new Promise<void>((done) => {
      const id = `raw-${++nextId}`;
      pending.set(id, done);
      sender.send({ message_id: id, reply_to: replyTo, body: JSON.stringify({ method: 'echo', args: { data: PAYLOAD } }) });
    });
  await call();
  return {
    handle: (cmd, args) => {
      const count = Number(args.count);
      const concurrency = Number(args.concurrency ?? 1);
      if (cmd === 'rpc') return closedLoop(count, concurrency, call);
      if (cmd === 'oneway') return closedLoop(count, concurrency, sendOneway);
      return undefined;
    },
    close: () => connection.close(),
  };
}
