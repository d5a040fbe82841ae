/**
 * A slow consumer: a notification listener that acks one notification a second:
 * `slow-consumer.ts URL TOPIC CREDIT`. Each second, before its ack, it prints
 * `{"held": n, "received": n, "acked": n, "rss": bytes, "heap": bytes}`. Told `{"stop": true}`,
 * it stops acking, closes its transport (which releases what it holds) and prints
 * `{"stopped": true, "acked": n, "received": n}`.
 */
import { type IncomingNotification, createTransport, notificationListener } from '../../../lib';
import { parentMessages, tellParent } from '../../support/node-child';

const [url, topic, credit] = process.argv.slice(2);
const transport = createTransport(url);
const held: IncomingNotification[] = [];
let received = 0;
let acked = 0;
notificationListener(transport, [{ topic }], { priorities: ['info'], credit: Number(credit) }).subscribe({
  next: (n) => {
    received++;
    held.push(n);
  },
  error: (e: unknown) => tellParent({ error: String(e) }),
});
void transport.ready().then(() => tellParent({ ready: true }));
const acking = setInterval(() => {
  const { rss, heapUsed } = process.memoryUsage();
  tellParent({ held: held.length, received, acked, rss, heap: heapUsed });
  held.shift()?.ack();
  acked++;
}, 1000);
const stopReading = parentMessages((m) => {
  if (!m.stop) return;
  clearInterval(acking);
  void transport.close().then(() => {
    tellParent({ stopped: true, acked, received });
    stopReading();
  });
});
