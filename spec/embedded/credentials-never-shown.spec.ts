import { expect } from 'chai';
import debug from 'debug';
import { format, inspect } from 'node:util';
import { type ConnectionState, type Transport, createTransport } from '../../lib';
import { type EmbeddedIntermediary, startEmbeddedIntermediary } from '../../lib/testing';
import { freePort } from '../support/ports';
import { first, uniqueName, within } from '../support/wait';
import { clientKeyPassword, tlsFile, tlsPath } from '../support/tls-files';

const PASSWORD = 'Sëcret-p@ss:w/rd%42';
const ENCODED = encodeURIComponent(PASSWORD);

/** Everything a person or a log could see of `value`: every rendering, deep, hidden fields too. */
function renderings(value: unknown): string[] {
  const out = [inspect(value, { depth: 8, showHidden: true }), format('%O %o %s %j', value, value, value, value)];
  try {
    out.push(JSON.stringify(value) ?? '');
  } catch {
    // circular: inspect covers it
  }
  if (value instanceof Error) {
    out.push(value.message, String(value.stack));
    let cause: unknown = value.cause;
    for (let depth = 0; cause !== undefined && depth < 5; depth++) {
      out.push(...renderings(cause));
      cause = (cause as { cause?: unknown }).cause;
    }
  } else if (value !== null && typeof value === 'object') {
    out.push(String(value));
  }
  return out;
}

describe('security: credentials never appear in logs, errors, states or renderings', function () {
  this.timeout(60_000);
  const seen: string[] = [];
  let restoreLog: typeof debug.log;
  let previous: string;
  let secured: EmbeddedIntermediary;

  before(async () => {
    // DEBUG=oslo-rx:* (and rhea-promise's own logs, which print the errors of rhea): captured, not printed
    previous = debug.disable();
    debug.enable('oslo-rx:*,rhea-promise:*');
    restoreLog = debug.log;
    debug.log = (...args: unknown[]) => void seen.push(format(...(args as [unknown, ...unknown[]])));
    secured = await startEmbeddedIntermediary({
      tls: { cert: tlsFile('server.pem'), key: tlsFile('server.key'), ca: tlsFile('ca.pem'), requireClientCert: false },
      users: { alice: PASSWORD },
      logger: (line) => seen.push(line),
    });
  });
  after(async () => {
    debug.log = restoreLog;
    debug.disable();
    if (previous) debug.enable(previous);
    await secured.stop();
  });

  /** Opens a transport, records every state and error and rendering, runs `body`, closes. */
  async function watch(url: string, options: Parameters<typeof createTransport>[1], body: (t: Transport) => Promise<void>): Promise<ConnectionState[]> {
    const t = createTransport(url, options);
    const states: ConnectionState[] = [];
    t.state$.subscribe((s) => {
      states.push(s);
      seen.push(...renderings(s));
    });
    try {
      await body(t);
    } catch (e) {
      seen.push(...renderings(e));
    }
    seen.push(...renderings(t), ...renderings(t.url), ...renderings(t.options), ...t.url.hosts.flatMap((h) => renderings(h)));
    await t.close();
    return states;
  }

  const fail = async (p: Promise<unknown>, what: string) => {
    const e = await within(p.then(() => undefined, (err: unknown) => err), what, 20_000);
    expect(e, what).to.be.instanceOf(Error);
    throw e;
  };
  const tlsOptions = { sslCaFile: tlsPath('ca.pem') };
  const mutual = { ...tlsOptions, sslCertFile: tlsPath('client.pem'), sslKeyFile: tlsPath('client-encrypted.key'), sslKeyPassword: clientKeyPassword() };

  it('captures a succeeding connection (PLAIN over mutual TLS with an encrypted key), a send and a close', async () => {
    const states = await watch(`amqps://alice:${ENCODED}@127.0.0.1:${secured.port}`, mutual, async (t) => {
      await within(t.ready(), 'the secured connection');
      await new Promise((resolve, reject) => t.send(uniqueName('secret'), { body: 'x' }).subscribe({ next: resolve, error: reject }));
    });
    expect(states.map((s) => s.state)).to.include('open');
  });

  it('captures failing connections: wrong password, wrong CA, wrong key password, refused, and a password in the query', async () => {
    await watch(`amqps://alice:wrong-${ENCODED}@127.0.0.1:${secured.port}`, tlsOptions, (t) => fail(t.ready(), 'the PLAIN refusal'));
    await watch(`amqps://alice:${ENCODED}@127.0.0.1:${secured.port}`, { sslCaFile: tlsPath('other-ca.pem') }, (t) => fail(t.ready(), 'the TLS refusal'));
    await watch(`amqps://alice:${ENCODED}@127.0.0.1:${secured.port}`, { ...mutual, sslKeyPassword: PASSWORD }, (t) => fail(t.ready(), 'the key refusal'));
    await watch(
      `amqps://alice:${ENCODED}@127.0.0.1:${secured.port}/?ssl_key_password=${ENCODED}&ssl_ca_file=${encodeURIComponent(tlsPath('ca.pem'))}`,
      { sslCertFile: tlsPath('client.pem'), sslKeyFile: tlsPath('client-encrypted.key') },
      (t) => fail(t.ready(), 'the key refusal from the query'),
    );
    const closedPort = await freePort();
    const states = await watch(`amqp://alice:${ENCODED}@127.0.0.1:${closedPort}`, {}, async (t) => {
      t.ready().catch((e: unknown) => seen.push(...renderings(e)));
      await first(t.state$, 'a disconnected state', 10_000, (s) => s.state === 'disconnected');
    });
    expect(states.map((s) => s.state)).to.include('disconnected');
  });

  it('shows none of it: not the password, nor its URL encoding, nor the key password', () => {
    const all = seen.join('\n');
    if (process.env.OSLO_RX_SHOW_CAPTURE) console.log(all);
    expect(seen.length).to.be.greaterThan(20);
    expect(all).to.include('****');
    // the capture did see the debug output of the connections, and the errors
    expect(all).to.match(/oslo-rx|TlsHandshakeFailed|AuthenticationFailed/);
    for (const secret of [PASSWORD, ENCODED, clientKeyPassword()]) {
      const at = all.indexOf(secret);
      expect(at, `found ${JSON.stringify(secret)} in: ${all.slice(Math.max(0, at - 300), at + 100)}`).to.equal(-1);
    }
  });
});
