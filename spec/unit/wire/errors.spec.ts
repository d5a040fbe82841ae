import { expect } from 'chai';
import { MessagingError, isMessagingError } from '../../../lib/errors';
import { InvalidMessage } from '../../../lib/wire';

describe('InvalidMessage', () => {
  it('is a MessagingError with a reason and an AMQP condition', () => {
    const e = new InvalidMessage('request.method: expected string, got number');
    expect(e).to.be.instanceOf(MessagingError);
    expect(isMessagingError(e, 'InvalidMessage')).to.equal(true);
    expect(e.name).to.equal('InvalidMessage');
    expect(e.retryable).to.equal(false);
    expect(e.condition).to.equal('amqp:decode-error');
    expect(e.reason).to.equal('request.method: expected string, got number');
    expect(e.message).to.equal('invalid message: request.method: expected string, got number');
  });

  it('takes another condition and a cause', () => {
    const cause = new Error('x');
    const e = new InvalidMessage('nope', { condition: 'amqp:not-implemented', cause });
    expect(e.condition).to.equal('amqp:not-implemented');
    expect(e.cause).to.equal(cause);
  });
});
