/**
 * What the wire codec costs per message: building and reading an RPC call request, a reply
 * and a notification (small, 1 KiB and 200-item payloads), next to bare `JSON.stringify` /
 * `JSON.parse` of the same bodies, in CPU nanoseconds per operation (process CPU time, so a
 * loaded machine inflates the figures less than wall time would; the best of 11 loops).
 *
 *   npx tsx bench/codec-cost.ts [--ops 5000] [--wire DIR] [--compare DIR]
 *
 * `--wire DIR` times that copy of the wire layer instead of `lib/wire` (for instance
 * `dist/wire`, compiled as users run it: tsx adds a name-keeping helper to every closure).
 * `--compare DIR` also loads the wire layer from another copy of `lib/wire` (for instance one
 * extracted from an older commit with `git archive`) and times both, loop by loop in
 * alternation, printing both figures and their ratio.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as current from '../lib/wire';

type Wire = typeof current;
const { values } = parseArgs({ options: { ops: { type: 'string', default: '5000' }, wire: { type: 'string' }, compare: { type: 'string' } } });
const OPS = Number(values.ops);
const LOOPS = 11;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const other = values.compare ? (require(resolve(values.compare)) as Wire) : undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wire = values.wire ? (require(resolve(values.wire)) as Wire) : current;
const wireName = values.wire ?? 'lib/wire';

/** CPU nanoseconds per run of `op` over one loop of `ops` runs. */
function cpuNsPerOp(op: () => unknown, ops: number): number {
  let sink: unknown;
  const t0 = process.cpuUsage();
  for (let i = 0; i < ops; i++) sink = op();
  const used = process.cpuUsage(t0);
  if (sink === Symbol.for('never')) console.log(sink);
  return ((used.user + used.system) * 1000) / ops;
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
const toSend = { to: 'notifications.info' };

/** The operations timed, for one copy of the wire layer: name, operation, runs per loop. */
function operations(wire: Wire): Array<[string, () => unknown, number]> {
  const call = (r: current.RpcRequest) => wire.buildCallMessage(r, { to: 'openstack.compute', replyTo: replyTo.to, timeoutMs: 60_000 });
  const replyOf = (result: unknown) => wire.buildReplyMessage(wire.responseReply(result), replyTo);
  const ops: Array<[string, () => unknown, number]> = [];
  for (const [name, r, n] of [['small', small, OPS], ['1 KiB', kib, OPS], ['200 items', big, Math.ceil(OPS / 50)]] as const) {
    const request = call(r);
    const reply = replyOf(r.args);
    const requestText = request.body as string;
    const wireRequest = { body: requestText, message_id: request.message_id, reply_to: request.reply_to };
    const wireReply = { body: reply.body, correlation_id: reply.correlation_id };
    const notification: current.NotificationBody = {
      message: wire.newNotificationMessage({ publisherId: 'compute.host1', eventType: 'compute.instance.update', priority: 'info', payload: r.args }),
      context, version: 2,
    };
    const notifyText = wire.buildNotificationMessage(notification, toSend).body as string;
    const plainRequest = wire.RpcRequestCodec.encode(r);
    ops.push(
      [`${name}: JSON.stringify of the request body`, () => JSON.stringify(plainRequest), n],
      [`${name}: encodeBody of the request body (default form)`, () => wire.encodeBody(plainRequest), n],
      [`${name}: pythonJsonDumps of the request body (exact form)`, () => wire.pythonJsonDumps(plainRequest), n],
      [`${name}: buildCallMessage`, () => call(r), n],
      [`${name}: buildReplyMessage`, () => replyOf(r.args), n],
      [`${name}: buildNotificationMessage (v2)`, () => wire.buildNotificationMessage(notification, toSend), n],
      [`${name}: JSON.parse of the request body`, () => JSON.parse(requestText), n],
      [`${name}: decodeRequestMessage`, () => wire.decodeRequestMessage(wireRequest), n],
      [`${name}: decodeReplyMessage`, () => wire.decodeReplyMessage(wireReply), n],
      [`${name}: decodeNotificationMessage (v2)`, () => wire.decodeNotificationMessage({ body: notifyText }), n],
    );
  }
  return ops;
}

const mine = operations(wire);
const theirs = other ? operations(other) : undefined;
console.log(other ? `CPU ns per op: ${values.compare} vs ${wireName}` : `CPU ns per op: ${wireName}`);
console.log(other ? `| what | other | ${wireName} | ratio |\n|---|---|---|---|` : '| what | ns per op |\n|---|---|');
mine.forEach(([name, op, n], i) => {
  let best = Infinity;
  let bestOther = Infinity;
  for (let r = 0; r < LOOPS; r++) {
    if (theirs) bestOther = Math.min(bestOther, cpuNsPerOp(theirs[i]![1], n));
    best = Math.min(best, cpuNsPerOp(op, n));
  }
  console.log(theirs ? `| ${name} | ${bestOther.toFixed(0)} | ${best.toFixed(0)} | ${(best / bestOther).toFixed(2)} |` : `| ${name} | ${best.toFixed(0)} |`);
});
