import { expect } from 'chai';
import fc from 'fast-check';
import { message } from 'rhea';
import { AddressPatterns, compileAddressPattern } from '../../lib/embedded/address-patterns';
import { incrementDeliveryCount } from '../../lib/embedded/delivery-count';
import { Fifo } from '../../lib/embedded/fifo';
import { FrameSizeGuard } from '../../lib/embedded/frame-size-guard';
import { EMBEDDED_INTERMEDIARY_DEFAULTS, InvalidIntermediaryOption, resolveIntermediaryOptions } from '../../lib/embedded/intermediary-options';
import { checkPassword } from '../../lib/embedded/sasl';
import { TransferCapture } from '../../lib/embedded/transfer-capture';
import { isMessagingError } from '../../lib/errors';

const HEADER = Buffer.from('AMQP\x00\x01\x00\x00', 'latin1');
const SASL_HEADER = Buffer.from('AMQP\x03\x01\x00\x00', 'latin1');

function frame(size: number): Buffer {
  const f = Buffer.alloc(size, 0x41);
  f.writeUInt32BE(size, 0);
  return f;
}

function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  return out;
}

describe('embedded intermediary parts', () => {
  describe('AddressPatterns', () => {
    const defaults = new AddressPatterns();

    it("treats oslo's multicast addresses and the ActiveMQ/RabbitMQ topic forms as topics", () => {
      for (const a of ['broadcast.openstack.t.all', 'openstack.org/om/rpc/multicast/openstack/t', 'topic://broadcast.x', '/topic/k', '/exchange/amq.topic/k']) {
        expect(defaults.kindOf(a), a).to.equal('topic');
      }
    });

    it('treats every other address as a queue', () => {
      for (const a of ['exclusive.openstack.t.s1', 'unicast.openstack.t', 'openstack.org/om/rpc/anycast/openstack/t', 'dynamic/x', 'q', 'multicast']) {
        expect(defaults.kindOf(a), a).to.equal('queue');
      }
    });

    it('lets queue patterns win over topic patterns, and refuses what refusePatterns match', () => {
      const p = new AddressPatterns({ topicPatterns: ['a'], queuePatterns: ['ab'], refusePatterns: ['secret.*.x'] });
      expect(p.kindOf('abc')).to.equal('queue');
      expect(p.kindOf('acb')).to.equal('topic');
      expect(p.isRefused('secret.1.x')).to.equal(true);
      expect(p.isRefused('secret.x')).to.equal(false);
      expect(defaults.isRefused('anything')).to.equal(false);
    });

    it('matches patterns as prefixes with * wildcards and regular-expression characters taken literally', () => {
      expect(compileAddressPattern('a.b').test('a.b.c')).to.equal(true);
      expect(compileAddressPattern('a.b').test('axb')).to.equal(false);
      expect(compileAddressPattern('*/m/').test('x/y/m/z')).to.equal(true);
      expect(compileAddressPattern('(x)+').test('(x)+y')).to.equal(true);
    });
  });

  describe('FrameSizeGuard', () => {
    const stream = Buffer.concat([SASL_HEADER, frame(20), frame(30), HEADER, frame(100), frame(8), frame(512)]);

    it('accepts a stream of valid frames however it is cut into chunks', () => {
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
          const guard = new FrameSizeGuard(512);
          return chunked(stream, cuts).every((c) => guard.check(c).ok);
        }),
      );
    });

    it('reports the first frame above the limit with the bytes before it', () => {
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 8 }), (cuts) => {
          const guard = new FrameSizeGuard(512);
          const bad = Buffer.concat([HEADER, frame(100), frame(513)]);
          let seen = 0;
          for (const c of chunked(bad, cuts)) {
            const r = guard.check(c);
            // the bad frame starts at byte 108; when its size field straddles chunks, up to 3 of its bytes already went through
            if (!r.ok) return r.frameSize === 513 && seen + r.safeBytes >= 108 && seen + r.safeBytes <= 111;
            seen += c.length;
          }
          return false;
        }),
      );
    });

    it('reports frames smaller than a frame header', () => {
      const r = new FrameSizeGuard(512).check(Buffer.concat([HEADER, Buffer.from([0, 0, 0, 4])]));
      expect(r).to.deep.equal({ ok: false, safeBytes: 8, frameSize: 4 });
    });
  });

  describe('incrementDeliveryCount', () => {
    it('raises delivery-count and keeps the other header fields and every other byte', () => {
      const original = message.encode({ durable: true, ttl: 5000, priority: 9, delivery_count: 2, message_id: 'm', body: 'b' });
      const once = incrementDeliveryCount(original);
      expect(message.decode(once)).to.deep.include({ durable: true, ttl: 5000, priority: 9, delivery_count: 3, message_id: 'm', body: 'b' });
      const tail = (b: Buffer) => b.subarray(b.indexOf(Buffer.from([0x00, 0x53, 0x73])));
      expect(tail(once).equals(tail(original))).to.equal(true);
    });

    it('adds a header to a message that has none', () => {
      const bare = Buffer.from('005377a103616263', 'hex'); // amqp-value "abc"
      const counted = incrementDeliveryCount(bare);
      expect(message.decode(counted)).to.deep.include({ delivery_count: 1, body: 'abc' });
      expect(counted.subarray(counted.length - bare.length).equals(bare)).to.equal(true);
    });
  });

  describe('Fifo', () => {
    it('keeps order through push, shift, unshift and putBack', () => {
      const f = new Fifo<number>();
      for (let i = 0; i < 3000; i++) f.push(i);
      for (let i = 0; i < 2000; i++) expect(f.shift()).to.equal(i);
      f.unshift(1999);
      f.putBack(1500, (a, b) => a < b);
      expect(f.length).to.equal(1002);
      expect([f.shift(), f.shift(), f.shift()]).to.deep.equal([1500, 1999, 2000]);
      f.putBack(5000, (a, b) => a < b);
      expect(f.drain().slice(-2)).to.deep.equal([2999, 5000]);
      expect(f.shift()).to.equal(undefined);
    });
  });

  describe('TransferCapture', () => {
    it('joins the frames of a message and does not keep one over the limit', () => {
      const capture = new TransferCapture(5);
      const link = {};
      capture.onFrame(link, Buffer.from('ab'), true);
      capture.onFrame(link, Buffer.from('c'), false);
      expect(capture.take(link)).to.deep.equal({ bytes: Buffer.from('abc'), size: 3 });
      expect(capture.take(link)).to.equal(undefined);
      capture.onFrame(link, Buffer.from('abcd'), true);
      capture.onFrame(link, Buffer.from('ef'), false);
      expect(capture.take(link)).to.deep.equal({ bytes: undefined, size: 6 });
    });
  });

  describe('checkPassword', () => {
    const users = { alice: 'secret' };
    it('accepts the right password only', () => {
      expect(checkPassword(users, 'alice', 'secret')).to.equal(true);
      expect(checkPassword(users, 'alice', 'secret ')).to.equal(false);
      expect(checkPassword(users, 'bob', 'secret')).to.equal(false);
      expect(checkPassword(users, 'toString', 'x')).to.equal(false);
      expect(checkPassword(users, null, null)).to.equal(false);
    });
  });

  describe('resolveIntermediaryOptions', () => {
    it('fills in the defaults', () => {
      const r = resolveIntermediaryOptions();
      expect(r).to.include({ host: '127.0.0.1', port: 0, mode: 'broker', maxFrameSize: EMBEDDED_INTERMEDIARY_DEFAULTS.maxFrameSize, users: undefined });
    });

    it('refuses values it cannot use with InvalidOption errors', () => {
      const bad = [{ port: 70000 }, { maxFrameSize: 100 }, { creditWindow: 0 }, { mode: 'hub' }, { users: {} }, { holdMs: 1.5 }];
      for (const options of bad) {
        const error = (() => {
          try {
            resolveIntermediaryOptions(options as never);
          } catch (e) {
            return e;
          }
          return undefined;
        })();
        expect(error, JSON.stringify(options)).to.be.instanceOf(InvalidIntermediaryOption);
        expect(isMessagingError(error, 'InvalidOption')).to.equal(true);
      }
    });
  });
});
