/**
 * The raw rhea-promise server, written by hand: one receiver on the queue; a message with a
 * `reply_to` is answered with its `data` echoed (one cached sender per reply address), one
 * without is only counted. rhea accepts each message when its handler returns.
 */
import type { EventContext, Sender } from 'rhea-promise';
import type { Role, RoleOptions } from '../role';
import { ServerCounter } from '../server-counter';
import { rawConnection } from './raw-connection';

/** Starts the raw server on `options.topic` (a plain queue address). */
export async function rawServer(options: RoleOptions): Promise<Role> {
  const connection = await rawConnection(options.url);
  const counter = new ServerCounter();
  const senders = new Map<string, Promise<Sender>>();
  const senderFor = (address: string) => {
    let sender = senders.get(address);
    if (!sender) {
      sender = connection.createSender({ target: { address } });
      senders.set(address, sender);
    }
    return sender;
  };
  await connection.createReceiver({
    source: { address: options.topic },
    credit_window: options.credit ?? 200,
    onError: () => undefined,
    onMessage: (context: EventContext) => {
      const message = context.message!;
      if (message.reply_to === undefined) {
        counter.count();
        return;
      }
      const request = JSON.parse(String(message.body)) as { args: { data: string } };
      const reply = { correlation_id: message.message_id, body: JSON.stringify({ result: request.args.data }) };
      void senderFor(String(message.reply_to)).then((sender) => {
        sender.send(reply);
        counter.count();
      });
    },
  });
  return {
    handle: (cmd, args) => counter.handle(cmd, args),
    close: () => connection.close(),
  };
}
