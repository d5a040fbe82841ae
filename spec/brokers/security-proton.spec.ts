import { peerUrl, requirePeer } from '../support/peers';
import { securityScenarios } from '../support/security-scenarios';
import { tlsPath, trustTestCa, withClientCertificate } from '../support/tls-files';

// A Qpid Proton TLS endpoint (scripts/proton_tls_endpoint.py, started by scripts/peers-tls.sh):
// one listener per certificate; the last requires client certificates and offers EXTERNAL only.
const port = (offset: number) => `127.0.0.1:${Number(new URL(peerUrl('proton_tls')).port) + offset}`;
const env = (name: string, offset: number) => process.env[name] || `amqps://${port(offset)}`;

securityScenarios({
  name: 'security: Qpid Proton TLS endpoint',
  setUp: (ctx) => requirePeer(ctx, 'proton_tls'),
  cases: {
    goodTls: () => ({ url: peerUrl('proton_tls'), options: trustTestCa() }),
    wrongCa: () => ({ url: peerUrl('proton_tls'), options: { sslCaFile: tlsPath('other-ca.pem') } }),
    expiredCert: () => ({ url: env('OSLO_RX_PROTON_TLS_EXPIRED_URL', 1), options: trustTestCa() }),
    wrongHostName: () => ({ url: env('OSLO_RX_PROTON_TLS_WRONG_NAME_URL', 2), options: trustTestCa() }),
    mutualTls: () => ({ url: env('OSLO_RX_PROTON_TLS_MUTUAL_URL', 3), options: { ...withClientCertificate(), saslMechanisms: 'EXTERNAL' } }),
    mutualTlsMissing: () => ({ url: env('OSLO_RX_PROTON_TLS_MUTUAL_URL', 3), options: trustTestCa() }),
    external: () => ({ url: env('OSLO_RX_PROTON_TLS_MUTUAL_URL', 3), options: { ...withClientCertificate(), saslMechanisms: 'EXTERNAL' } }),
    noCommonMechanism: () => ({ url: env('OSLO_RX_PROTON_TLS_MUTUAL_URL', 3).replace('amqps://', 'amqps://user:pass@'), options: { ...withClientCertificate(), saslMechanisms: 'PLAIN' } }),
  },
});
