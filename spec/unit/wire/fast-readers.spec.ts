import { expect } from 'chai';
import fc from 'fast-check';
import type * as t from 'io-ts';
import { NotificationBodyCodec, RpcRequestCodec, jsonLoads, pythonJsonDumps, wrapEnvelope } from '../../../lib/wire';
import { readNotificationBody, validateNotificationBody } from '../../../lib/wire/notification';
import { readRequestBody, validateRequestBody } from '../../../lib/wire/rpc-request';

/** A value as a decoder meets it: parsed from the JSON text a peer sent. */
const overJson = (v: unknown): unknown => jsonLoads(pythonJsonDumps(v));
const rootContext = (codec: t.Decoder<unknown, unknown>, u: unknown): t.Context => [{ key: '', type: codec, actual: u }];

/** Right values, wrong values and absent ones, for one field. */
const field = <T>(good: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 5 }, fc.constant(null), fc.jsonValue({ maxDepth: 1 }));
/** A dict, the same dict in an oslo envelope (one with a bad version now and then), or something else. */
const maybeEnveloped = (dict: fc.Arbitrary<object>) => fc.oneof(
  { arbitrary: dict, weight: 3 },
  { arbitrary: dict.map((d) => wrapEnvelope(d)), weight: 2 },
  fc.tuple(dict, fc.constantFrom('2.0', '2.1', '1.0', 'x')).map(([d, v]) => ({ 'oslo.version': v, 'oslo.message': pythonJsonDumps(d) })),
  fc.record({ 'oslo.version': fc.constant('2.0'), 'oslo.message': fc.string() }),
  fc.jsonValue({ maxDepth: 1 }),
);

const requestBodies = fc.record({
  request: maybeEnveloped(fc.record({
    method: field(fc.string()), args: field(fc.object({ maxDepth: 1 })), namespace: field(fc.string()), version: field(fc.string()),
  }, { requiredKeys: [] })),
  context: field(fc.object({ maxDepth: 1 })),
  call_monitor_timeout: field(fc.double({ min: -1, max: 1e6, noNaN: true })),
}, { requiredKeys: [] }).map(overJson);

const notificationBodies = fc.record({
  request: maybeEnveloped(fc.record({
    message_id: field(fc.uuid()), publisher_id: field(fc.string()), event_type: field(fc.string()), priority: field(fc.string()),
    payload: fc.jsonValue({ maxDepth: 2 }), timestamp: field(fc.string()),
  }, { requiredKeys: [] })),
  context: field(fc.object({ maxDepth: 1 })),
}, { requiredKeys: [] }).map(overJson);

/** A fast reader, the io-ts reader it must match, their codec and bodies to try. */
interface ReaderPair<A> {
  readonly name: string;
  readonly bodies: fc.Arbitrary<unknown>;
  readonly fast: (u: unknown) => A | undefined;
  readonly slow: (u: unknown, c: t.Context) => t.Validation<A>;
  readonly codec: t.Decoder<unknown, unknown>;
}

const pairs: ReadonlyArray<ReaderPair<unknown>> = [
  { name: 'readRequestBody', bodies: requestBodies, fast: readRequestBody, slow: validateRequestBody, codec: RpcRequestCodec },
  { name: 'readNotificationBody', bodies: notificationBodies, fast: readNotificationBody, slow: validateNotificationBody, codec: NotificationBodyCodec },
];

describe('fast readers (plain checks before io-ts)', () => {
  for (const { name, bodies, fast, slow, codec } of pairs) {
    it(`property: ${name} accepts what the io-ts reader accepts and reads it the same`, () => {
      let accepted = 0;
      fc.assert(fc.property(bodies, (u) => {
        const f = fast(u);
        const s = slow(u, rootContext(codec, u));
        if (f === undefined) expect(s._tag, JSON.stringify(u)).to.equal('Left');
        else {
          expect(s, JSON.stringify(u)).to.deep.equal({ _tag: 'Right', right: f });
          accepted++;
        }
      }), { numRuns: 600 });
      expect(accepted, 'some bodies are well formed').to.be.greaterThan(20);
    });
  }
});
