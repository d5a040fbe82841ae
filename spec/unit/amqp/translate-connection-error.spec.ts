import { expect } from 'chai';
import { inspect } from 'node:util';
import { AuthenticationFailed, ConnectionLost, TlsHandshakeFailed, translateConnectionError } from '../../../lib/amqp/errors';

/** A rhea ConnectionError: condition, description, and the connection (whose options reach the credentials). */
function rheaError(description: string, condition: string): Error {
  const e = new Error(description) as Error & { condition: string; description: string; connection: unknown };
  e.name = 'ConnectionError';
  e.condition = condition;
  e.description = description;
  e.connection = { options: { password: 'hunter2-secret' } };
  return e;
}

/** A Node TLS error with its code. */
function tlsError(code: string, message = 'tls failure'): Error {
  return Object.assign(new Error(message), { code });
}

describe('amqp: translateConnectionError', () => {
  it('keeps an open connection retryable whatever its text says about authentication or SASL', () => {
    // a broker restarting its auth backend: the words used to end the transport for good
    for (const text of ['authentication backend restarting', 'SASL layer reset', 'Failed to authenticate: 4']) {
      const e = translateConnectionError(rheaError(text, 'amqp:connection:forced'), 'h:1');
      expect(e).to.be.instanceOf(ConnectionLost);
      expect(e.retryable).to.equal(true);
    }
    // even amqp:unauthorized-access once open: the next attempt authenticates again
    expect(translateConnectionError(rheaError('access revoked', 'amqp:unauthorized-access'), 'h:1').retryable).to.equal(true);
  });

  it('ends on amqp:unauthorized-access while opening (SASL outcome auth, or a Close before Open)', () => {
    const opening = { sasl: { allowed: ['PLAIN'], offered: ['PLAIN', 'ANONYMOUS'], chosen: 'PLAIN' } };
    const e = translateConnectionError(rheaError('Failed to authenticate: 1', 'amqp:unauthorized-access'), 'h:1', opening);
    expect(e).to.be.instanceOf(AuthenticationFailed);
    expect(e.retryable).to.equal(false);
    expect(e.message).to.include('SASL PLAIN refused');
    const closed = translateConnectionError(rheaError('vhost refused', 'amqp:unauthorized-access'), 'h:1', {});
    expect(closed).to.be.instanceOf(AuthenticationFailed);
  });

  it('keeps a SASL system error (sys, sys-perm, sys-temp: rhea says amqp:internal-error) retryable while opening', () => {
    const opening = { sasl: { allowed: ['PLAIN'], offered: ['PLAIN'], chosen: 'PLAIN' } };
    const e = translateConnectionError(rheaError('Failed to authenticate: 4', 'amqp:internal-error'), 'h:1', opening);
    expect(e).to.be.instanceOf(ConnectionLost);
    expect(e.retryable).to.equal(true);
  });

  it('says what the server offered when no mechanism is in common, and does not retry', () => {
    const opening = { sasl: { allowed: ['ANONYMOUS'], offered: ['PLAIN', 'SCRAM-SHA-1'] } };
    const e = translateConnectionError(rheaError('No suitable mechanism', 'amqp:unauthorized-access'), 'h:1', opening);
    expect(e).to.be.instanceOf(AuthenticationFailed);
    expect(e.message).to.include('the server offers PLAIN SCRAM-SHA-1').and.include('this client may use ANONYMOUS');
  });

  it('classifies TLS failures by their code, naming the certificate problem', () => {
    const cases: Record<string, string> = {
      UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'not signed by a trusted CA',
      ERR_TLS_CERT_ALTNAME_INVALID: 'does not name the host',
      CERT_HAS_EXPIRED: 'has expired',
      ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'requires a client certificate',
    };
    for (const [code, words] of Object.entries(cases)) {
      const e = translateConnectionError(tlsError(code), 'h:1', {});
      expect(e, code).to.be.instanceOf(TlsHandshakeFailed);
      expect((e as TlsHandshakeFailed).tlsCode).to.equal(code);
      expect(e.retryable).to.equal(false);
      expect(e.message).to.include(words).and.include(code);
    }
    // a socket error is not a TLS verdict
    expect(translateConnectionError(tlsError('ECONNREFUSED', 'connect ECONNREFUSED'), 'h:1', {})).to.be.instanceOf(ConnectionLost);
  });

  it('takes a bare drop after the server asked for a client certificate that was not sent for a TLS refusal, and nothing else', () => {
    const dropped = translateConnectionError(new Error('Failed to connect'), 'h:1', { clientCertificateMissing: true });
    expect(dropped).to.have.property('tlsCode', 'CLIENT_CERTIFICATE_REQUIRED');
    expect(dropped.retryable).to.equal(false);
    // a server asking for a certificate optionally, then refusing PLAIN: an authentication failure
    const sasl = { allowed: ['PLAIN'], offered: ['PLAIN'], chosen: 'PLAIN' };
    const refused = translateConnectionError(rheaError('Failed to authenticate: 1', 'amqp:unauthorized-access'), 'h:1', { clientCertificateMissing: true, sasl });
    expect(refused).to.be.instanceOf(AuthenticationFailed);
    // once open, never
    expect(translateConnectionError(new Error('Failed to connect'), 'h:1')).to.be.instanceOf(ConnectionLost);
  });

  it('never keeps a cause that reaches the connection (and its credentials)', () => {
    for (const opening of [undefined, {}]) {
      const e = translateConnectionError(rheaError('Failed to authenticate: 1', 'amqp:unauthorized-access'), 'h:1', opening);
      expect(inspect(e, { depth: Infinity, showHidden: true })).to.not.include('hunter2-secret');
      expect((e.cause as { condition?: string }).condition).to.equal('amqp:unauthorized-access');
    }
  });
});
