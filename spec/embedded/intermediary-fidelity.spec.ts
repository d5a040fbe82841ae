import { expect } from 'chai';
import { type Delivery, type EventContext, create_container, message, string_to_uuid, types } from 'rhea';
import { type EmbeddedIntermediary, type EmbeddedIntermediaryOptions, startEmbeddedIntermediary } from '../../lib/embedded';
import { codec, interceptTransfers } from '../../lib/embedded/rhea-internals';
import { TransferCapture } from '../../lib/embedded/transfer-capture';
import { uniqueName, within } from '../support/wait';
import type { Sender } from 'rhea-promise';
import { Clients, outcomeOf, sendable, until } from './intermediary-support';

interface RawDelivery {
  readonly bytes: Buffer;
  readonly format: number;
  readonly delivery: Delivery;
}

/** A plain rhea receiver that records every message's bytes exactly as they arrived. */
async function rawReceiver(port: number, address: string, autoaccept = true) {
  const connection = create_container().create_connection({ host: '127.0.0.1', port, reconnect: false } as never);
  const capture = new TransferCapture(0);
  interceptTransfers(connection, (link, payload, more) => capture.onFrame(link, payload, more));
  connection.connect();
  const got: RawDelivery[] = [];
  const waiters: Array<() => void> = [];
  const receiver = connection.open_receiver({ source: { address }, autoaccept });
  receiver.on('message', (ctx: EventContext) => {
    got.push({ bytes: capture.take(ctx.receiver!)!.bytes!, format: ctx.delivery!.format, delivery: ctx.delivery! });
    waiters.splice(0).forEach((w) => w());
  });
  await within(new Promise((r) => receiver.once('receiver_open', r)), 'the raw receiver to attach');
  return {
    got,
    count: (n: number) =>
      within(
        new Promise<RawDelivery[]>((resolve) => {
          const check = () => (got.length >= n ? resolve(got.slice(0, n)) : waiters.push(check));
          check();
        }),
        `${n} raw deliveries`,
      ),
    close: () => connection.close(),
  };
}

/** The sections of an encoded message, each as its own bytes. */
function sections(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let rest = bytes;
  while (rest.length > 0) {
    const reader = new codec.Reader(rest);
    reader.read();
    out.push(rest.subarray(0, reader.position));
    rest = rest.subarray(reader.position);
  }
  return out;
}

function samples(address: string): Record<string, Buffer> {
  const full = message.encode({
    ttl: 30_000,
    durable: true,
    priority: 7,
    message_id: string_to_uuid('0b3c8d2e-5f1a-4c6b-9d7e-1a2b3c4d5e6f'),
    correlation_id: types.wrap_ulong(1234567890123),
    to: address,
    reply_to: 'dynamic/abc',
    subject: 'fidelity',
    creation_time: new Date(1_700_000_000_000),
    application_properties: { sym: types.wrap_symbol('a-symbol'), neg: types.wrap_long(-5), list: [1, 'two'] },
    message_annotations: { 'x-opt-test': types.wrap_uint(7) },
    body: message.data_section(Buffer.from('{"request": {"method": "echo"}}')),
  });
  const stringBody = message.encode({ message_id: 'plain-string-id', to: address, body: '{"request": {"method": "echo", "args": {}}, "context": {}}' });
  const heartbeat = message.encode({ ttl: 4000, correlation_id: 'call-1', to: address, body: null });
  const withoutBody = Buffer.concat(sections(heartbeat).slice(0, -1));
  return { full, stringBody, withoutBody };
}

for (const mode of ['broker', 'router'] as const) {
  describe(`embedded intermediary: message fidelity (${mode})`, function () {
    this.timeout(15_000);
    let b: EmbeddedIntermediary;
    const clients = new Clients();
    const closers: Array<() => void> = [];
    const start = async (options: EmbeddedIntermediaryOptions = {}) => {
      b = await startEmbeddedIntermediary({ mode, holdMs: 5000, ...options });
    };

    afterEach(async () => {
      closers.splice(0).forEach((close) => close());
      await clients.closeAll();
      await b.stop();
    });

    it('forwards messages byte for byte: ids of every type, data, string and absent bodies, every section', async () => {
      await start();
      const address = uniqueName('unicast.openstack.fidelity');
      const receiver = await rawReceiver(b.port, address);
      closers.push(receiver.close);
      const sent = samples(address);
      const sender = await (await clients.connect(b)).createSender({ target: { address } });
      for (const bytes of Object.values(sent)) expect(await sendRaw(sender, bytes)).to.equal('accepted');
      const got = await receiver.count(3);
      expect(got.map((g) => g.bytes.toString('hex'))).to.deep.equal(Object.values(sent).map((s) => s.toString('hex')));
      expect(got.every((g) => g.format === 0)).to.equal(true);
    });

    it('forwards a message of another message-format unchanged, with its format', async () => {
      await start();
      const address = uniqueName('unicast.openstack.format');
      const receiver = await rawReceiver(b.port, address);
      closers.push(receiver.close);
      const sender = await (await clients.connect(b)).createSender({ target: { address } });
      await sendable(sender);
      sender.send(Buffer.from('opaque bytes'), { format: 0x1234 });
      const [got] = await receiver.count(1);
      expect(got.format).to.equal(0x1234);
      expect(got.bytes.toString()).to.equal('opaque bytes');
    });

    it('reassembles a message sent in many frames and forwards it whole', async () => {
      await start({ maxFrameSize: 512 });
      const address = uniqueName('unicast.openstack.bigfidelity');
      const receiver = await rawReceiver(b.port, address);
      closers.push(receiver.close);
      const bytes = message.encode({ message_id: 'big', body: message.data_section(Buffer.alloc(3000, 0xab)) });
      const sender = await (await clients.connect(b)).createSender({ target: { address } });
      expect(await sendRaw(sender, bytes)).to.equal('accepted');
      const [got] = await receiver.count(1);
      expect(got.bytes.equals(bytes)).to.equal(true);
    });

    if (mode === 'broker') {
      it('changes only the header delivery-count when it redelivers', async () => {
        await start();
        const address = uniqueName('unicast.openstack.redeliver');
        const receiver = await rawReceiver(b.port, address, false);
        closers.push(receiver.close);
        const { full } = samples(address);
        const sender = await (await clients.connect(b)).createSender({ target: { address } });
        expect(await sendRaw(sender, full)).to.equal('accepted');
        const [first] = await receiver.count(1);
        expect(first.bytes.equals(full)).to.equal(true);
        first.delivery.modified({ delivery_failed: true });
        const [, second] = await receiver.count(2);
        const [header, ...rest] = sections(second.bytes);
        expect(Buffer.concat(rest).equals(Buffer.concat(sections(full).slice(1)))).to.equal(true);
        expect(message.decode(header)).to.deep.include({ ttl: 30_000, durable: true, priority: 7, delivery_count: 1 });
        second.delivery.accept();
        await until(() => b.stats().queued === 0, 'the queue to empty');
      });
    }
  });
}

/** Sends already-encoded bytes (format 0) and resolves with the outcome's name. */
async function sendRaw(sender: Sender, bytes: Buffer): Promise<string> {
  await sendable(sender);
  return (await outcomeOf(sender, sender.send(bytes, { format: 0 }))).type;
}
