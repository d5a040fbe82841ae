import { expect } from 'chai';
import { InvalidOption, createTransport } from '../../lib';
import { type EmbeddedIntermediary, type EmbeddedIntermediaryOptions, startEmbeddedIntermediary } from '../../lib/testing';
import { securityScenarios } from '../support/security-scenarios';
import { clientKeyPassword, tlsFile, tlsPath, trustTestCa, withClientCertificate } from '../support/tls-files';

/** A password with characters a URL must percent-encode, and non-ASCII ones (PLAIN sends UTF-8). */
const PASSWORD = 'p@ss w:rd/é%';
const ENCODED = encodeURIComponent(PASSWORD);

const started: EmbeddedIntermediary[] = [];
async function start(options: EmbeddedIntermediaryOptions): Promise<EmbeddedIntermediary> {
  const intermediary = await startEmbeddedIntermediary(options);
  started.push(intermediary);
  return intermediary;
}
const server = (name: 'server' | 'server-expired' | 'server-wrong-name') => ({ cert: tlsFile(`${name}.pem`), key: tlsFile(`${name}.key`) });
const trustCa = trustTestCa();
const clientCert = withClientCertificate();

let sasl: EmbeddedIntermediary;
let plainTls: EmbeddedIntermediary;
let expired: EmbeddedIntermediary;
let wrongName: EmbeddedIntermediary;
let mutual: EmbeddedIntermediary;
const port = (i: EmbeddedIntermediary) => `127.0.0.1:${i.port}`;

securityScenarios({
  name: 'security: the embedded intermediary with TLS',
  setUp: async () => {
    sasl = await start({ tls: { ...server('server'), ca: tlsFile('ca.pem'), requireClientCert: false }, users: { alice: PASSWORD }, saslMechanisms: ['PLAIN', 'EXTERNAL'] });
    plainTls = await start({ tls: server('server') });
    expired = await start({ tls: server('server-expired') });
    wrongName = await start({ tls: server('server-wrong-name') });
    mutual = await start({ tls: { ...server('server'), ca: tlsFile('ca.pem') } });
  },
  tearDown: async () => {
    await Promise.all(started.splice(0).map((i) => i.stop()));
  },
  cases: {
    goodTls: () => ({ url: plainTls.url, options: trustCa }),
    wrongCa: () => ({ url: plainTls.url, options: { sslCaFile: tlsPath('other-ca.pem') } }),
    wrongHostName: () => ({ url: wrongName.url, options: trustCa }),
    expiredCert: () => ({ url: expired.url, options: trustCa }),
    // the client key encrypted, opened with sslKeyPassword
    mutualTls: () => ({ url: mutual.url, options: { ...trustCa, sslCertFile: tlsPath('client.pem'), sslKeyFile: tlsPath('client-encrypted.key'), sslKeyPassword: clientKeyPassword() } }),
    mutualTlsMissing: () => ({ url: mutual.url, options: trustCa }),
    plainGood: () => ({ url: `amqps://alice:${ENCODED}@${port(sasl)}`, options: trustCa }),
    plainBad: () => ({ url: `amqps://alice:wrong-${ENCODED}@${port(sasl)}`, options: trustCa }),
    external: () => ({ url: `amqps://${port(sasl)}`, options: { ...trustCa, ...clientCert, saslMechanisms: 'EXTERNAL' } }),
    noCommonMechanism: () => ({ url: `amqps://alice@${port(sasl)}`, options: { ...trustCa, saslMechanisms: 'ANONYMOUS' } }),
  },
});

describe('security: TLS options, against the embedded intermediary', function () {
  this.timeout(30_000);
  let tls: EmbeddedIntermediary;
  before(async () => {
    tls = await startEmbeddedIntermediary({ tls: server('server') });
  });
  after(() => tls.stop());

  it('checks the virtual host instead of the host name with sslVerifyVhost, as oslo does', async () => {
    // the certificate names broker.test, not the vhost "elsewhere.test"
    const good = createTransport(`amqps://127.0.0.1:${tls.port}/broker.test`, { ...trustCa, sslVerifyVhost: true });
    await good.ready();
    await good.close();
    const bad = createTransport(`amqps://127.0.0.1:${tls.port}/elsewhere.test`, { ...trustCa, sslVerifyVhost: true });
    const error = await bad.ready().then(() => undefined, (e: unknown) => e);
    expect(error).to.have.property('tlsCode', 'ERR_TLS_CERT_ALTNAME_INVALID');
    await bad.close();
  });

  it('passes Node TLS settings through the tls option (maxVersion TLSv1.2 is what the connection uses)', async () => {
    const tls12 = await startEmbeddedIntermediary({ tls: server('server') });
    try {
      const ok = createTransport(tls12.url, { ...trustCa, tls: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' } });
      const connection = await ok.ready();
      const socket = (connection.raw as unknown as { _connection: { socket: { getProtocol(): string } } })._connection.socket;
      expect(socket.getProtocol()).to.equal('TLSv1.2');
      await ok.close();
    } finally {
      await tls12.stop();
    }
  });

  it('verifies the server by default: amqps:// without a CA file uses the default CAs, which do not know the test CA', async () => {
    const t = createTransport(tls.url);
    const error = await t.ready().then(() => undefined, (e: unknown) => e);
    expect(error).to.have.property('code', 'TlsHandshakeFailed');
    await t.close();
  });

  it('ends with InvalidOption naming the file when a TLS file cannot be read, or the key password is wrong', async () => {
    const missing = createTransport(tls.url, { sslCaFile: '/nonexistent/ca.pem' });
    const e1 = await missing.ready().then(() => undefined, (e: unknown) => e);
    expect(e1).to.be.instanceOf(InvalidOption);
    expect(e1).to.have.property('option', 'sslCaFile');
    await missing.close();
    const badKey = createTransport(tls.url, { ...trustCa, sslCertFile: tlsPath('client.pem'), sslKeyFile: tlsPath('client-encrypted.key'), sslKeyPassword: 'not-the-password' });
    const e2 = await badKey.ready().then(() => undefined, (e: unknown) => e);
    expect(e2).to.be.instanceOf(InvalidOption);
    expect((e2 as Error).message).to.not.include('not-the-password');
    await badKey.close();
  });
});
