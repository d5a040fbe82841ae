import { peerUrl, requirePeer } from '../support/peers';
import { securityScenarios } from '../support/security-scenarios';
import { tlsPath } from '../support/tls-files';

// A Qpid Proton TLS endpoint (scripts/proton_tls_endpoint.py, started by scripts/peers-tls.sh):
// one listener per certificate; the last requires client certificates and offers EXTERNAL only.
const port = (offset: number) => `127.0.0.1:${Number(new URL(peerUrl('proton_tls')).port) + offset}`;
const env = (name: string, offset: number) => process.env[name] || `amqps://${port(offset)}`;
const trustCa = () => ({ sslCaFile: tlsPath('ca.pem') });
const clientCert = () => ({ ...trustCa(), sslCertFile: tlsPath('client.pem'), sslKeyFile: tlsPath('client.key') });

securityScenarios({
  name: 'security: Qpid Proton TLS endpoint',
  setUp: (ctx) => requirePeer(ctx, 'proton_tls'),
  cases: {
    goodTls: () => ({ url: peerUrl('proton_tls'), options: trustCa() }),
    wrongCa: () => ({ url: peerUrl('proton_tls'), options: { sslCaFile: tlsPath('other-ca.pem') } }),
    expiredCert: () => ({ url: env('OSLO_RX_PROTON_TLS_EXPIRED_URL', 1), options: trustCa() }),
    wrongHostName: () => ({ url: env('OSLO_RX_PROTON_TLS_WRONG_NAME_URL', 2), options: trustCa() }),
    mutualTls: () => ({ url: env('OSLO_RX_PROTON_TLS_MUTUAL_URL', 3), options: { ...clientCert(), saslMechanisms: 'EXTERNAL' } }),
    mutualTlsMissing: () => ({ url: env('OSLO_RX_PROTON_TLS_MUTUAL_URL', 3), options: trustCa() }),
    external: () => ({ url: env('OSLO_RX_PROTON_TLS_MUTUAL_URL', 3), options: { ...clientCert(), saslMechanisms: 'EXTERNAL' } }),
    noCommonMechanism: () => ({ url: env('OSLO_RX_PROTON_TLS_MUTUAL_URL', 3).replace('amqps://', 'amqps://user:pass@'), options: { ...clientCert(), saslMechanisms: 'PLAIN' } }),
  },
});
