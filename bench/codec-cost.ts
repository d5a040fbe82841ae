/**
 * What the wire codec costs per message: building and reading an RPC call request, a reply
 * and a notification (small, 1 KiB and 200-item payloads), next to bare `JSON.stringify` /
 * `JSON.parse` of the same bodies, in nanoseconds per operation (the best of several loops).
 *
 *   npx tsx bench/codec-cost.ts [--ops 20000] [--wire DIR]
 *
 * `--wire DIR` loads the wire layer from another copy of `lib/wire` (for instance one
 * extracted from an older commit with `git archive`), so two versions can be timed in
 * alternating runs on the same machine.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as current from '../lib/wire';

const { values } = parseArgs({ options: { ops: { type: 'string', default: '20000' }, wire: { type: 'string' } } });
const OPS = Number(values.ops);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wire = (values.wire ? require(resolve(values.wire)) : current) as typeof current;

/** Nanoseconds per run of `op`: the best of 7 loops of `ops` runs. */
function nsPerOp(op: () => unknown, ops = OPS): number {
  let best = Infinity;
  let sink: unknown;
  for (let r = 0; r < 7; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < ops; i++) sink = op();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / ops);
  }
  if (sink === Symbol.for('never')) console.log(sink);
  return best;
}

const context = {
  request_id: 'req-5f1b8a3e-9c2d-4e6f-8a7b-1c2d3e4f5a6b', user: 'd6c1a2b3', project: '9f8e7d6c', roles: ['member', 'reader'],
  is_admin: false, read_only: false, show_deleted: false, timestamp: '2026-12-01T22:00:00.000000',
};
const small: current.RpcRequest = { method: 'get_instance', args: { instance_id: 'a1b2c3d4', detail: true, limit: 10 }, context };
const kib: current.RpcRequest = { method: 'echo', args: { payload: 'x'.repeat(1024) }, context };
const items = Array.from({ length: 200 }, (_, i) => ({
  id: i, name: `instance-${i}`, state: 'ACTIVE', flavor: { vcpus: 2, ram: 4096 }, addresses: ['10.0.0.1', '10.0.0.2'], load: i / 7,
}));
const big: current.RpcRequest = { method: 'list', args: { items }, context };
const replyTo = { to: 'dyn-f162e95c-reply', correlationId: 'f'.repeat(32) };
const call = (r: current.RpcRequest) => wire.buildCallMessage(r, { to: 'openstack.compute', replyTo: replyTo.to, timeoutMs: 60_000 });
const replyOf = (result: unknown) => wire.buildReplyMessage(wire.responseReply(result), replyTo);
const notification = (payload: unknown): current.NotificationBody => ({
  message: wire.newNotificationMessage({ publisherId: 'compute.host1', eventType: 'compute.instance.update', priority: 'info', payload }),
  context, version: 2,
});
const toSend = { to: 'notifications.info' };

const rows: Array<[string, number]> = [];
function row(name: string, op: () => unknown, ops?: number): void {
  rows.push([name, nsPerOp(op, ops)]);
}

for (const [name, r, ops] of [['small', small, OPS], ['1 KiB', kib, OPS], ['200 items', big, Math.ceil(OPS / 20)]] as const) {
  const request = call(r);
  const reply = replyOf(r.args);
  const requestText = request.body as string;
  const replyText = reply.body as string;
  const wireRequest = { body: requestText, message_id: request.message_id, reply_to: request.reply_to };
  const wireReply = { body: replyText, correlation_id: reply.correlation_id };
  const n = notification(r.args);
  const notifyText = wire.buildNotificationMessage(n, toSend).body as string;
  const plainRequest = wire.RpcRequestCodec.encode(r);
  row(`${name}: JSON.stringify of the request body`, () => JSON.stringify(plainRequest), ops);
  row(`${name}: buildCallMessage`, () => call(r), ops);
  row(`${name}: buildReplyMessage`, () => replyOf(r.args), ops);
  row(`${name}: buildNotificationMessage (v2)`, () => wire.buildNotificationMessage(n, toSend), ops);
  row(`${name}: JSON.parse of the request body`, () => JSON.parse(requestText), ops);
  row(`${name}: decodeRequestMessage`, () => wire.decodeRequestMessage(wireRequest), ops);
  row(`${name}: decodeReplyMessage`, () => wire.decodeReplyMessage(wireReply), ops);
  row(`${name}: decodeNotificationMessage (v2)`, () => wire.decodeNotificationMessage({ body: notifyText }), ops);
}

console.log(`wire layer: ${values.wire ?? 'lib/wire'}`);
console.log('| what | ns per op |');
console.log('|---|---|');
for (const [name, ns] of rows) console.log(`| ${name} | ${ns.toFixed(0)} |`);
