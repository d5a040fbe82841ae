/**
 * Link names are unique per direction (AMQP 1.0 §2.6.1): a client may attach a sender
 * and a receiver with one name on one session, as Qpid Proton does by default
 * (`container-ADDRESS` for both). The client here is plain rhea with its links keyed
 * by name and role, since rhea's own session map has the same limitation.
 */
import { expect } from 'chai';
import { type Connection, type EventContext, type Receiver, type Sender, create_container } from 'rhea';
import { type EmbeddedIntermediary, startEmbeddedIntermediary } from '../../lib/embedded';
import { keyLinksByNameAndRole } from '../../lib/embedded/rhea-internals';
import { uniqueName, within } from '../support/wait';

/** A promise that rejects when `connection` is closed by the peer or dropped. */
function lost(connection: Connection): Promise<never> {
  const gone = new Promise<never>((_, reject) => {
    connection.once('connection_error', (c: EventContext) => reject(new Error(`connection closed: ${JSON.stringify(c.connection.error)}`)));
    connection.once('disconnected', () => reject(new Error('connection dropped')));
  });
  gone.catch(() => undefined); // observed by the waits that race it
  return gone;
}

for (const mode of ['broker', 'router'] as const) {
  describe(`embedded intermediary: a sender and a receiver sharing one link name (${mode})`, function () {
    this.timeout(15_000);
    let b: EmbeddedIntermediary;
    let connection: Connection;
    let connectionLost: Promise<never>;
    /** Resolves once `event` fires on `emitter`; fails when the connection is lost, or after 5 s naming `what`. */
    const once = (emitter: Sender | Receiver | Connection, event: string, what: string) =>
      within(Promise.race([new Promise<EventContext>((resolve) => emitter.once(event, resolve)), connectionLost]), what, 5000);

    beforeEach(async () => {
      b = await startEmbeddedIntermediary({ mode, holdMs: 5000 });
      connection = create_container({ id: 'same-names' }).create_connection({ host: '127.0.0.1', port: b.port, reconnect: false } as never);
      keyLinksByNameAndRole(connection);
      connectionLost = lost(connection);
      connection.connect();
      await once(connection, 'connection_open', 'the connection to open');
    });

    afterEach(async () => {
      connection.close();
      await b.stop();
    });

    it('attaches both on one session and carries messages between them; each detaches on its own', async () => {
      const address = uniqueName('unicast.openstack.samename');
      const name = `same-names-${address}`;
      const session = connection.create_session();
      session.begin();
      const receiver = session.attach_receiver({ name, source: { address }, autoaccept: true });
      const sender = session.attach_sender({ name, target: { address } });
      await Promise.all([once(receiver, 'receiver_open', 'the receiver to attach'), once(sender, 'sendable', 'credit for the sender')]);

      const arrived = once(receiver, 'message', 'the message at the receiver');
      const accepted = once(sender, 'accepted', 'the message to be accepted');
      sender.send({ body: 'one' });
      expect((await arrived).message?.body).to.equal('one');
      await accepted;

      // the receiver goes; the sender of the same name goes on working, and a new receiver of that name attaches
      receiver.close();
      await once(receiver, 'receiver_close', 'the receiver to detach');
      const again = session.attach_receiver({ name, source: { address }, autoaccept: true });
      await once(again, 'receiver_open', 'a new receiver of the same name to attach');
      const message = once(again, 'message', 'a message at the new receiver');
      sender.send({ body: 'two' });
      expect((await message).message?.body).to.equal('two');
      expect(b.stats().connections).to.equal(1);
    });
  });
}
