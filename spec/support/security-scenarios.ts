/**
 * TLS and SASL scenarios, run against every TLS endpoint the tests have (the embedded
 * intermediary, RabbitMQ 3.10, a Qpid Proton endpoint): each fixture says which cases it
 * offers and how to reach them.
 */
import { expect } from 'chai';
import type { AmqpOptions, ConnectionState, Transport } from '../../lib';
import { createTransport, isMessagingError } from '../../lib';
import { first, uniqueName, within } from './wait';

/** Where one case connects: a URL and options. */
export interface SecurityTarget {
  readonly url: string;
  readonly options?: Partial<AmqpOptions>;
}

/** The cases of the suite. */
export interface SecurityCases {
  /** Server-verified TLS with the right CA. */
  readonly goodTls?: () => SecurityTarget;
  /** TLS trusting another CA than the server's. */
  readonly wrongCa?: () => SecurityTarget;
  /** A server certificate that does not name the host connected to. */
  readonly wrongHostName?: () => SecurityTarget;
  /** An expired server certificate. */
  readonly expiredCert?: () => SecurityTarget;
  /** Mutual TLS: a client certificate the server requires. */
  readonly mutualTls?: () => SecurityTarget;
  /** Mutual TLS required, no client certificate given. */
  readonly mutualTlsMissing?: () => SecurityTarget;
  /** SASL PLAIN with the right password, over TLS. */
  readonly plainGood?: () => SecurityTarget;
  /** SASL PLAIN with a wrong password, over TLS. */
  readonly plainBad?: () => SecurityTarget;
  /** SASL EXTERNAL with the client certificate. */
  readonly external?: () => SecurityTarget;
  /** saslMechanisms allows none of the mechanisms the server offers. */
  readonly noCommonMechanism?: () => SecurityTarget;
}

/** How a suite reaches its endpoint. */
export interface SecurityFixture {
  /** Suite name. */
  readonly name: string;
  /** Runs in `before` (checks the peer, starts endpoints). */
  readonly setUp?: (ctx: Mocha.Context) => Promise<void>;
  /** Runs in `after`. */
  readonly tearDown?: () => Promise<void>;
  /** The cases this endpoint offers. */
  readonly cases: SecurityCases;
  /** An address a message may be sent to (a queue). Default: a unique name. */
  readonly address?: () => string;
}

/** The outcome of opening a transport, and every state it went through. */
async function attempt(target: SecurityTarget, transports: Transport[]): Promise<{ error: unknown; states: ConnectionState[]; transport: Transport }> {
  const transport = createTransport(target.url, { connectionRetryIntervalMs: 1000, ...target.options });
  transports.push(transport);
  const states: ConnectionState[] = [];
  transport.state$.subscribe((s) => states.push(s));
  const error = await within(
    transport.ready().then(
      () => undefined,
      (e: unknown) => e,
    ),
    `the connection to ${String(transport.url)} to open or fail`,
    20_000,
  );
  return { error, states, transport };
}

/** Runs the security scenarios of `fixture`. */
export function securityScenarios(fixture: SecurityFixture): void {
  describe(fixture.name, function () {
    this.timeout(60_000);
    const transports: Transport[] = [];
    const { cases } = fixture;

    before(async function () {
      await fixture.setUp?.(this);
    });
    afterEach(async () => {
      await Promise.all(transports.splice(0).map((t) => t.close()));
    });
    after(async () => {
      await fixture.tearDown?.();
    });

    async function opens(target: SecurityTarget): Promise<void> {
      const { error, states, transport } = await attempt(target, transports);
      expect(error, `expected the connection to open, got ${String(error)}`).to.equal(undefined);
      expect(states.map((s) => s.state)).to.include('open');
      // the connection carries a message: the intermediary accepts it
      const address = fixture.address?.() ?? uniqueName('tls');
      const outcome = await within(
        new Promise((resolve, reject) => transport.send(address, { body: 'over tls' }, { timeoutMs: 10_000 }).subscribe({ next: resolve, error: reject })),
        'the outcome of a send over the secured connection',
        15_000,
      );
      expect(outcome).to.have.property('outcome', 'accepted');
    }

    async function fails(target: SecurityTarget, code: 'TlsHandshakeFailed' | 'AuthenticationFailed', words: RegExp, tlsCodes?: readonly string[]): Promise<void> {
      const { error, states, transport } = await attempt(target, transports);
      expect(isMessagingError(error, code), `expected ${code}, got ${String(error)}`).to.equal(true);
      expect((error as Error).message).to.match(words);
      if (tlsCodes) expect(tlsCodes).to.include((error as { tlsCode?: string }).tlsCode);
      // ends the transport at once: one attempt, no reconnect loop
      const closed = await first(transport.state$, 'the closed state', 5000, (s) => s.state === 'closed');
      expect(closed).to.have.property('error', error);
      expect(states.filter((s) => s.state === 'connecting')).to.have.length(1);
      expect(states.filter((s) => s.state === 'disconnected')).to.have.length(0);
    }

    const only = <K extends keyof SecurityCases>(key: K, title: string, body: (c: NonNullable<SecurityCases[K]>) => Promise<void>) => {
      const c = cases[key];
      if (c) it(title, () => body(c as NonNullable<SecurityCases[K]>));
    };

    only('goodTls', 'connects with TLS when the server certificate verifies against the CA', (c) => opens(c()));
    only('wrongCa', 'ends with TlsHandshakeFailed, not a reconnect loop, when the server certificate is of another CA', (c) =>
      fails(c(), 'TlsHandshakeFailed', /trusted CA|self-signed|issuer/, ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN']),
    );
    only('wrongHostName', 'ends with TlsHandshakeFailed when the certificate does not name the host', (c) =>
      fails(c(), 'TlsHandshakeFailed', /does not name the host/, ['ERR_TLS_CERT_ALTNAME_INVALID']),
    );
    only('expiredCert', 'ends with TlsHandshakeFailed when the server certificate has expired', (c) =>
      fails(c(), 'TlsHandshakeFailed', /expired/, ['CERT_HAS_EXPIRED']),
    );
    only('mutualTls', 'connects with mutual TLS when the client certificate is given', (c) => opens(c()));
    only('mutualTlsMissing', 'ends with TlsHandshakeFailed when mutual TLS is required and no client certificate is given', (c) =>
      fails(c(), 'TlsHandshakeFailed', /client certificate|handshake/),
    );
    only('plainGood', 'authenticates with SASL PLAIN over TLS', (c) => opens(c()));
    only('plainBad', 'ends with AuthenticationFailed on a wrong PLAIN password over TLS', async (c) => {
      await fails(c(), 'AuthenticationFailed', /SASL PLAIN refused|authentication failed/);
    });
    only('external', 'authenticates with SASL EXTERNAL from the client certificate', (c) => opens(c()));
    only('noCommonMechanism', 'ends with AuthenticationFailed naming the offer when saslMechanisms allows none of it', (c) =>
      fails(c(), 'AuthenticationFailed', /no SASL mechanism in common \(the server offers [A-Z -]+; this client may use /),
    );
  });
}
