/**
 * The Messenger (`npx tsx examples/messenger.ts`): two messengers talk peer to peer with no
 * intermediary, then through the embedded broker. Addresses are URLs; connections are made
 * behind the scenes; each send's tracker gives its outcome.
 */
import { firstValueFrom, lastValueFrom, merge, take, tap, toArray } from 'rxjs';
import { createMessenger, type Listening } from '../lib';
import { startEmbeddedIntermediary } from '../lib/testing';

const log = (who: string, what: string) => console.log(`${who.padEnd(10)} ${what}`);

async function main(): Promise<void> {
  const alice = createMessenger();
  const bob = createMessenger({ outgoingWindow: 10 });

  // 1. peer to peer: alice listens (port 0: any free port), bob sends straight to her
  const listening = new Promise<Listening>((resolve) => {
    alice
      .subscribe('amqp://~127.0.0.1:0', { credit: 10, onListening: resolve })
      .subscribe((d) => {
        log('alice', `got ${JSON.stringify(d.message.body)} on node "${d.message.to}"`);
        if (d.message.subject === 'spam') d.reject({ condition: 'example:spam', description: 'not wanted here' });
        else d.accept();
      });
  });
  const { port } = await listening;
  log('alice', `listening on port ${port}`);

  const hello = await firstValueFrom(bob.send({ address: `amqp://127.0.0.1:${port}/greetings`, body: 'hello, alice' }));
  log('bob', `tracker: ${hello.outcome}`);
  const spam = await firstValueFrom(bob.send({ address: `amqp://127.0.0.1:${port}/offers`, subject: 'spam', body: 'buy now' }));
  log('bob', `tracker: ${spam.outcome}${spam.outcome === 'rejected' ? ` (${spam.condition})` : ''}`);

  // 2. through the embedded broker: store and forward, so the receiver may come later
  const broker = await startEmbeddedIntermediary({ mode: 'broker' });
  const queue = `${broker.url}/news`;
  const sent = await lastValueFrom(
    merge(...[1, 2, 3].map((n) => bob.send({ address: queue, body: `news #${n}` }))).pipe(toArray()),
  );
  log('bob', `three sends to the broker: ${sent.map((o) => o.outcome).join(', ')}`);
  // credit 2: at most two unsettled deliveries at a time; each accept() lets the next one come
  await lastValueFrom(
    alice.subscribe(queue, { credit: 2 }).pipe(
      take(3),
      tap((d) => {
        log('alice', `from the broker: ${JSON.stringify(d.message.body)}`);
        d.accept();
      }),
    ),
  );
  log('bob', `transports: ${bob.hosts().join(', ')}`);

  await Promise.all([alice.close(), bob.close()]);
  await broker.stop();
  log('example', 'done');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
