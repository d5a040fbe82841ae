import { peerUrl, requirePeer } from '../support/peers';
import { securityScenarios } from '../support/security-scenarios';
import { tlsPath, trustTestCa, withClientCertificate } from '../support/tls-files';

// RabbitMQ 3.10's TLS listener (scripts/peers-tls.sh): client certificates required,
// SASL PLAIN and EXTERNAL (rabbitmq_auth_mechanism_ssl: the user is the certificate's CN).
// Client certificates are required, so server-verified TLS alone is the mutualTls case here.
const url = () => new URL(peerUrl('rabbitmq_tls'));
const hostPort = () => url().host;
const user = () => encodeURIComponent(process.env.OSLO_RX_RABBITMQ_TLS_USER ?? 'tls-user');
const password = () => encodeURIComponent(process.env.OSLO_RX_RABBITMQ_TLS_PASSWORD ?? 'Tls p@ss:w/rd%');

securityScenarios({
  name: 'security: RabbitMQ 3.10 TLS listener (AMQP 1.0)',
  setUp: (ctx) => requirePeer(ctx, 'rabbitmq_tls'),
  cases: {
    wrongCa: () => ({ url: `amqps://${hostPort()}`, options: { sslCaFile: tlsPath('other-ca.pem'), sslCertFile: tlsPath('client.pem'), sslKeyFile: tlsPath('client.key') } }),
    // the vhost is checked instead of the host name (oslo's ssl_verify_vhost): the certificate does not name it
    wrongHostName: () => ({ url: `amqps://${hostPort()}/elsewhere.test`, options: { ...withClientCertificate(), sslVerifyVhost: true } }),
    mutualTls: () => ({ url: `amqps://${user()}:${password()}@${hostPort()}`, options: withClientCertificate() }),
    mutualTlsMissing: () => ({ url: `amqps://${user()}:${password()}@${hostPort()}`, options: trustTestCa() }),
    plainGood: () => ({ url: `amqps://${user()}:${password()}@${hostPort()}`, options: { ...withClientCertificate(), saslMechanisms: 'PLAIN' } }),
    plainBad: () => ({ url: `amqps://${user()}:not-${password()}@${hostPort()}`, options: { ...withClientCertificate(), saslMechanisms: 'PLAIN' } }),
    external: () => ({ url: `amqps://${hostPort()}`, options: { ...withClientCertificate(), saslMechanisms: 'EXTERNAL' } }),
    // no noCommonMechanism case: RabbitMQ offers ANONYMOUS, PLAIN and EXTERNAL, all that oslo-rx can use
  },
});
