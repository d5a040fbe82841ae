import { expect } from 'chai';
import { message as rheaMessage } from 'rhea-promise';
import { correlationIdFor, isMessageId, newCallMessageId, newNotificationId } from '../../../lib/wire';

/** The AMQP type code of the correlation-id rhea writes (the 6th field of the properties list). */
function correlationTypeCode(id: unknown): number {
  const bytes = rheaMessage.encode({ correlation_id: correlationIdFor(id as string) } as never);
  const props = bytes.indexOf(Buffer.from([0x00, 0x53, 0x73]));
  const list = bytes.subarray(props + 3);
  expect(list[0]).to.equal(0xd0); // list32: size(4) count(4) then fields
  let pos = 9;
  for (let field = 0; field < 5; field++) {
    expect(list[pos]).to.equal(0x40); // message-id, user-id, to, subject, reply-to are null
    pos++;
  }
  return list[pos]!;
}

describe('message ids', () => {
  it('call message-ids are uuid4().hex: 32 lower-case hex digits, new each time', () => {
    const a = newCallMessageId();
    expect(a).to.match(/^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    expect(newCallMessageId()).not.to.equal(a);
  });

  it('notification message_ids are dashed uuid4 strings', () => {
    expect(newNotificationId()).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('correlation ids echo the request id with the same AMQP type', () => {
    expect(correlationTypeCode('abc')).to.equal(0xa1); // str8
    expect(correlationTypeCode(7)).to.equal(0x53); // smallulong (ulong)
    expect(correlationTypeCode(2 ** 40)).to.equal(0x80); // ulong
    expect(correlationTypeCode(Buffer.alloc(16, 1))).to.equal(0x98); // uuid
    expect(correlationTypeCode(Buffer.from('1000000000000000', 'hex'))).to.equal(0x80); // a ulong above 2^53
    expect(correlationTypeCode(Buffer.from([1, 2, 3]))).to.equal(0xa0); // vbin8
  });

  it('echoed ids decode to what rhea gave for the request id', () => {
    for (const id of ['x', 5, 2 ** 60, Buffer.alloc(16, 7), Buffer.from([9, 9, 9])]) {
      const request = rheaMessage.decode(rheaMessage.encode({ message_id: id as never, body: 'x' }));
      const reply = rheaMessage.decode(rheaMessage.encode({ correlation_id: correlationIdFor(request.message_id), body: 'y' }));
      expect(reply.correlation_id).to.deep.equal(request.message_id);
    }
  });

  it('isMessageId accepts strings, numbers and Buffers only', () => {
    expect([isMessageId('a'), isMessageId(1), isMessageId(Buffer.alloc(1))]).to.deep.equal([true, true, true]);
    expect([isMessageId(undefined), isMessageId(null), isMessageId({}), isMessageId([1])]).to.deep.equal([false, false, false, false]);
  });
});
