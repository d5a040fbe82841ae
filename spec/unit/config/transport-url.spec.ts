import { expect } from 'chai';
import fc from 'fast-check';
import { inspect } from 'node:util';
import { isMessagingError } from '../../../lib/errors';
import {
  InvalidTransportURL,
  TransportUrl,
  formatTransportUrl,
  parseTransportUrl,
  redactTransportUrl,
  type TransportHost,
  type TransportUrlFields,
} from '../../../lib/config';

/** The parsed URL as a plain object, for deep comparisons. */
function plain(url: TransportUrl) {
  return { scheme: url.scheme, hosts: url.hosts.map((h) => ({ ...h })), virtualHost: url.virtualHost, query: { ...url.query } };
}

/** The error `fn` throws (failing the test if it returns). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  expect.fail('expected an error');
}

/** Characters URLs are made of, tricky ones included. */
const urlPiece = fc.constantFrom(
  'amqp', 'amqps', '://', ':', '@', '/', '//', ',', '?', '&', '=', '#', '[', ']', '::1', '%40', '%3A', '%zz', '%C3', '+',
  'h', 'u', 'p', '5672', '0', '99999', ' ', 'é', '\t', 'idle_timeout', 'ssl_key_password=',
);
const urlLike = fc
  .tuple(fc.constantFrom('amqp://', 'amqps://', 'amqp+x://', 'AMQP://', 'rabbit://', ''), fc.array(urlPiece, { maxLength: 14 }))
  .map(([scheme, pieces]) => scheme + pieces.join(''));

/** Arbitrary valid URL parts: every field a parsed URL can hold. */
const hostArb: fc.Arbitrary<TransportHost> = fc
  .record(
    {
      hostname: fc.oneof(fc.domain(), fc.ipV4(), fc.ipV6()),
      port: fc.integer({ min: 1, max: 65535 }),
      username: fc.string({ unit: 'binary', maxLength: 12 }),
      password: fc.string({ unit: 'binary', maxLength: 12 }),
    },
    { requiredKeys: ['hostname', 'port'] },
  );
const fieldsArb: fc.Arbitrary<TransportUrlFields> = fc.record({
  scheme: fc.constantFrom('amqp' as const, 'amqps' as const),
  hosts: fc.array(hostArb, { minLength: 1, maxLength: 4 }),
  virtualHost: fc.option(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), { nil: undefined }),
  query: fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }), {
    maxKeys: 4,
  }),
});

describe('config: transport URL', () => {
  // Expected values were checked against Python oslo.messaging 14.0.3 TransportURL.parse.
  describe('parseTransportUrl', () => {
    it('reads one host, defaulting the port to 5672', () => {
      expect(plain(parseTransportUrl('amqp://broker'))).to.deep.equal({
        scheme: 'amqp',
        hosts: [{ hostname: 'broker', port: 5672 }],
        virtualHost: undefined,
        query: {},
      });
    });

    it('defaults the port to 5671 for amqps:// (TLS) and keeps an explicit one', () => {
      expect(parseTransportUrl('amqps://h').hosts).to.deep.equal([{ hostname: 'h', port: 5671 }]);
      expect(parseTransportUrl('amqps://h:5672').hosts).to.deep.equal([{ hostname: 'h', port: 5672 }]);
      expect(parseTransportUrl('amqps://h').scheme).to.equal('amqps');
    });

    it('reads the scheme case-insensitively and drops a +suffix (amqp+x)', () => {
      expect(parseTransportUrl('AMQP+foo://H:5673/').scheme).to.equal('amqp');
      expect(parseTransportUrl('amqps+bar://h').scheme).to.equal('amqps');
      expect(parseTransportUrl('AMQP://H:5673/').hosts).to.deep.equal([{ hostname: 'H', port: 5673 }]);
    });

    it('reads several hosts, each with its own credentials and no inheritance', () => {
      expect(parseTransportUrl('amqp://u1:p1@h1:1,u2:p2@h2:2,h3/v').hosts).to.deep.equal([
        { hostname: 'h1', port: 1, username: 'u1', password: 'p1' },
        { hostname: 'h2', port: 2, username: 'u2', password: 'p2' },
        { hostname: 'h3', port: 5672 },
      ]);
    });

    it('percent-decodes username and password (the WIRE §7 observed URL)', () => {
      const url = parseTransportUrl('amqp://us%40er:p%3Ass@127.0.0.1:25673/vh2?pseudo_vhost=false&idle_timeout=30');
      expect(plain(url)).to.deep.equal({
        scheme: 'amqp',
        hosts: [{ hostname: '127.0.0.1', port: 25673, username: 'us@er', password: 'p:ss' }],
        virtualHost: 'vh2',
        query: { pseudo_vhost: 'false', idle_timeout: '30' },
      });
    });

    it('splits credentials at the last @ and user from password at the first :', () => {
      expect(parseTransportUrl('amqp://a@b:c@h').hosts[0]).to.deep.equal({ hostname: 'h', port: 5672, username: 'a@b', password: 'c' });
      expect(parseTransportUrl('amqp://u:p:q@h').hosts[0]).to.deep.equal({ hostname: 'h', port: 5672, username: 'u', password: 'p:q' });
      expect(parseTransportUrl('amqp://:p@h').hosts[0]).to.deep.equal({ hostname: 'h', port: 5672, username: '', password: 'p' });
      expect(parseTransportUrl('amqp://u@h').hosts[0]).to.deep.equal({ hostname: 'h', port: 5672, username: 'u' });
      expect(parseTransportUrl('amqp://@h').hosts[0]).to.deep.equal({ hostname: 'h', port: 5672, username: '' });
    });

    it('decodes credentials as UTF-8, keeping a bad escape as it is', () => {
      expect(parseTransportUrl('amqp://%C3%A9:%zz%C3@h').hosts[0]).to.deep.equal({
        hostname: 'h',
        port: 5672,
        username: 'é',
        password: '%zz\uFFFD',
      });
    });

    it('does not percent-decode the hostname', () => {
      expect(parseTransportUrl('amqp://ho%41st/').hosts[0].hostname).to.equal('ho%41st');
    });

    it('reads [IPv6]:port, with or without a port, alone or among other hosts', () => {
      expect(parseTransportUrl('amqp://[::1]:5673/').hosts).to.deep.equal([{ hostname: '::1', port: 5673 }]);
      expect(parseTransportUrl('amqp://[::1]/').hosts).to.deep.equal([{ hostname: '::1', port: 5672 }]);
      expect(parseTransportUrl('amqp://u:p@[fe80::1]:99/').hosts).to.deep.equal([
        { hostname: 'fe80::1', port: 99, username: 'u', password: 'p' },
      ]);
      expect(parseTransportUrl('amqp://h1,[2001:db8::7]:5680').hosts).to.deep.equal([
        { hostname: 'h1', port: 5672 },
        { hostname: '2001:db8::7', port: 5680 },
      ]);
    });

    it('reads the virtual host as the decoded path after its first /', () => {
      const vhost = (url: string) => parseTransportUrl(url).virtualHost;
      expect(vhost('amqp://h')).to.equal(undefined);
      expect(vhost('amqp://h/')).to.equal(undefined);
      expect(vhost('amqp://h//')).to.equal('/');
      expect(vhost('amqp://h/vh')).to.equal('vh');
      expect(vhost('amqp://h/v%2Fh')).to.equal('v/h');
      expect(vhost('amqp://h/a/b/c')).to.equal('a/b/c');
      expect(vhost('amqp://h/%zz')).to.equal('%zz');
      expect(vhost('amqp://h/a+b')).to.equal('a+b');
    });

    it('means localhost when the host list is empty, and skips empty entries', () => {
      expect(parseTransportUrl('amqp:///').hosts).to.deep.equal([{ hostname: 'localhost', port: 5672 }]);
      expect(parseTransportUrl('amqp://').hosts).to.deep.equal([{ hostname: 'localhost', port: 5672 }]);
      expect(parseTransportUrl('amqps:///vh').hosts).to.deep.equal([{ hostname: 'localhost', port: 5671 }]);
      expect(parseTransportUrl('amqp://h,,h2,').hosts.map((h) => h.hostname)).to.deep.equal(['h', 'h2']);
      expect(parseTransportUrl('amqp://h:/').hosts).to.deep.equal([{ hostname: 'h', port: 5672 }]);
    });

    it('reads the query like parse_qs, joining a repeated name with commas', () => {
      expect(parseTransportUrl('amqp://h/?a=1&a=2&b=+x+&c=&d&e=v=w').query).to.deep.equal({ a: '1,2', b: ' x ', e: 'v=w' });
      expect(parseTransportUrl('amqp://h/?x=a%2Cb&x=c').query).to.deep.equal({ x: 'a,b,c' });
      expect(parseTransportUrl('amqp://h/?a=%zz&b=%C3%A9&c=%C3').query).to.deep.equal({ a: '%zz', b: 'é', c: '\uFFFD' });
      expect(parseTransportUrl('amqp://h?x=1').query).to.deep.equal({ x: '1' });
      expect(parseTransportUrl('amqp://h/?=v').query).to.deep.equal({ '': 'v' });
    });

    it('ignores a fragment, even one holding a ?', () => {
      expect(parseTransportUrl('amqp://h/?x=1#f').query).to.deep.equal({ x: '1' });
      expect(parseTransportUrl('amqp://h/#frag?x=1').query).to.deep.equal({});
    });

    it('drops leading spaces and control characters, and tabs and newlines anywhere (as urlsplit does)', () => {
      expect(parseTransportUrl('  amqp://h/').hosts[0].hostname).to.equal('h');
      expect(parseTransportUrl('amqp://h\t1\n/').hosts[0].hostname).to.equal('h1');
    });

    it('returns an immutable TransportUrl', () => {
      const url = parseTransportUrl('amqp://u:p@h/?a=1');
      expect(url).to.be.instanceOf(TransportUrl);
      expect(Object.isFrozen(url)).to.equal(true);
      expect(Object.isFrozen(url.hosts)).to.equal(true);
      expect(Object.isFrozen(url.hosts[0])).to.equal(true);
      expect(Object.isFrozen(url.query)).to.equal(true);
    });
  });

  describe('bad URLs', () => {
    const cases: Array<[string, RegExp]> = [
      ['rabbit://h/', /scheme "rabbit" is not amqp or amqps/],
      ['//h/', /no scheme/],
      ['h', /no scheme/],
      ['', /no scheme/],
      ['amqp:h', /expected "\/\/" after the scheme/],
      ['amqp://h:abc/', /host 1: the port is not an integer/],
      ['amqp://h:+5/', /host 1: the port is not an integer/],
      ['amqp://h:5.5/', /host 1: the port is not an integer/],
      ['amqp://h:0/', /host 1: the port is not from 1 to 65535/],
      ['amqp://h1,h:65536/', /host 2: the port is not from 1 to 65535/],
      ['amqp://u:p@/', /host 1: empty hostname/],
      ['amqp://:5672/', /host 1: empty hostname/],
      ['amqp://h,u@:1/', /host 2: empty hostname/],
      ['amqp://[::1/', /unbalanced brackets/],
      ['amqp://h]/', /unbalanced brackets/],
      ['amqp://[::1]x/', /unexpected text after "]"/],
      ['amqp://[1.2.3.4]/', /not an IPv6 address/],
      ['amqp://[]:5/', /not an IPv6 address/],
      ['amqp://h[1]/', /"\[" or "\]" in the hostname/],
      ['amqp://u[:p]@h/', /in the credentials/],
    ];
    for (const [url, reason] of cases) {
      it(`refuses ${JSON.stringify(url)}`, () => {
        const e = thrown(() => parseTransportUrl(url));
        expect(e).to.be.instanceOf(InvalidTransportURL);
        expect((e as InvalidTransportURL).message).to.match(reason);
      });
    }

    it('is an InvalidTransportURL MessagingError, not retryable', () => {
      const e = thrown(() => parseTransportUrl('amqp://h:0'));
      expect(isMessagingError(e, 'InvalidTransportURL')).to.equal(true);
      expect((e as InvalidTransportURL).code).to.equal('InvalidTransportURL');
      expect((e as InvalidTransportURL).name).to.equal('InvalidTransportURL');
      expect((e as InvalidTransportURL).retryable).to.equal(false);
      expect((e as InvalidTransportURL).url).to.equal('amqp://h:0');
    });

    it('refuses a value that is not a string with InvalidTransportURL', () => {
      for (const value of [undefined, null, 42, {}, ['amqp://h']]) {
        expect(thrown(() => parseTransportUrl(value as unknown as string))).to.be.instanceOf(InvalidTransportURL);
      }
    });

    it('never throws anything but InvalidTransportURL, whatever the text (property)', () => {
      fc.assert(
        fc.property(fc.oneof(urlLike, fc.string({ unit: 'binary' }), fc.string()), (text) => {
          try {
            expect(parseTransportUrl(text)).to.be.instanceOf(TransportUrl);
          } catch (e) {
            expect(e).to.be.instanceOf(InvalidTransportURL);
          }
        }),
        { numRuns: 3000 },
      );
    });

    it('refuses hand-built parts that are not valid', () => {
      const bad: TransportUrlFields[] = [
        { scheme: 'amqp', hosts: [{ hostname: 'h', port: 0 }] },
        { scheme: 'amqp', hosts: [{ hostname: 'h', port: 1.5 }] },
        { scheme: 'amqp', hosts: [{ hostname: '', port: 1 }] },
        { scheme: 'amqp', hosts: [{ hostname: 'a/b', port: 1 }] },
        { scheme: 'amqp', hosts: [{ hostname: 'a:b', port: 1 }] },
        { scheme: 'http' as 'amqp', hosts: [] },
      ];
      for (const fields of bad) expect(thrown(() => new TransportUrl(fields))).to.be.instanceOf(InvalidTransportURL);
    });
  });

  describe('formatTransportUrl', () => {
    it('writes the URL as oslo does, every port included', () => {
      const text = 'amqp://us%40er:p%3Ass@127.0.0.1:25673/vh2?pseudo_vhost=false&idle_timeout=30';
      expect(formatTransportUrl(parseTransportUrl(text))).to.equal(text);
      expect(formatTransportUrl(parseTransportUrl('amqp://h'))).to.equal('amqp://h:5672/');
      expect(formatTransportUrl(parseTransportUrl('amqp://h//'))).to.equal('amqp://h:5672//');
      expect(formatTransportUrl(parseTransportUrl('amqp+x://[::1]/v%2Fh'))).to.equal('amqp://[::1]:5672/v/h');
    });

    it("encodes like Python's quote and urlencode", () => {
      const url = new TransportUrl({
        scheme: 'amqp',
        hosts: [{ hostname: 'h', port: 1, username: "a b!*'()~", password: 'é/😀' }],
        virtualHost: 'v h/%',
        query: { 'k y': 'a,b c+', x: '=&' },
      });
      expect(formatTransportUrl(url)).to.equal(
        'amqp://a%20b%21%2A%27%28%29~:%C3%A9%2F%F0%9F%98%80@h:1/v%20h/%25?k+y=a%2Cb+c%2B&x=%3D%26',
      );
    });

    it('accepts plain parts as well as a TransportUrl', () => {
      expect(formatTransportUrl({ scheme: 'amqps', hosts: [{ hostname: 'h', port: 5671, username: 'u', password: 'p' }] })).to.equal(
        'amqps://u:p@h:5671/',
      );
    });

    it('round-trips: parse(format(u)) equals u (property)', () => {
      fc.assert(
        fc.property(fieldsArb, (fields) => {
          const url = new TransportUrl(fields);
          expect(plain(parseTransportUrl(formatTransportUrl(url)))).to.deep.equal(plain(url));
          expect(url.format({ withPassword: true })).to.equal(formatTransportUrl(url));
        }),
        { numRuns: 500 },
      );
    });

    it('is stable: format(parse(format(parse(s)))) equals format(parse(s)) (property)', () => {
      fc.assert(
        fc.property(urlLike, (text) => {
          let once: string;
          try {
            once = formatTransportUrl(parseTransportUrl(text));
          } catch {
            return;
          }
          expect(formatTransportUrl(parseTransportUrl(once))).to.equal(once);
        }),
        { numRuns: 2000 },
      );
    });
  });

  describe('redaction', () => {
    const text = 'amqp://us%40er:s3cr%3At@h1,u2:pw2@h2:5673/vh?ssl_key_password=k3y&idle_timeout=5';
    const redacted = 'amqp://us%40er:****@h1:5672,u2:****@h2:5673/vh?ssl_key_password=****&idle_timeout=5';

    it('hides passwords and secret query values in toString, toJSON, inspect and redactTransportUrl', () => {
      const url = parseTransportUrl(text);
      expect(String(url)).to.equal(redacted);
      expect(`${url}`).to.equal(redacted);
      expect(JSON.stringify({ url })).to.equal(JSON.stringify({ url: redacted }));
      expect(inspect(url)).to.equal(`TransportUrl <${redacted}>`);
      expect(inspect({ nested: url })).to.not.match(/s3cr|pw2|k3y/);
      expect(redactTransportUrl(text)).to.equal(redacted);
      expect(redactTransportUrl(url)).to.equal(redacted);
      expect(url.format()).to.equal(redacted);
    });

    it('gives the passwords only when asked', () => {
      const url = parseTransportUrl(text);
      expect(url.format({ withPassword: true })).to.equal(
        'amqp://us%40er:s3cr%3At@h1:5672,u2:pw2@h2:5673/vh?ssl_key_password=k3y&idle_timeout=5',
      );
      expect(url.hosts[0].password).to.equal('s3cr:t');
    });

    it('redacts text that does not parse on the safe side', () => {
      expect(redactTransportUrl('amqp://user:secret@host:99999/')).to.equal('amqp://user:****@host:99999/');
      expect(redactTransportUrl('amqp://u:pa/ss@h/')).to.equal('amqp://u:****@h/');
      expect(redactTransportUrl('amqp://u1:p1@h1,u2:p2@h2:x/')).to.equal('amqp://u1:****@h2:x/');
      expect(redactTransportUrl('amqp://h1,u2:p2@h2:x/')).to.equal('amqp://****@h2:x/');
      expect(redactTransportUrl('user:secret@host')).to.equal('user:****@host');
      expect(redactTransportUrl('amqp://h:x/?ssl_key_password=k3y&a=1')).to.equal('amqp://h:x/?ssl_key_password=****&a=1');
      expect(redactTransportUrl('amqp://h:x/?ssl%5Fkey%5Fpassword=k3y')).to.equal('amqp://h:x/?ssl%5Fkey%5Fpassword=****');
    });

    it('shows the redacted URL in InvalidTransportURL messages', () => {
      const e = thrown(() => parseTransportUrl('amqp://user:secret@host:99999/')) as InvalidTransportURL;
      expect(e.message).to.equal('Invalid transport URL "amqp://user:****@host:99999/": host 1: the port is not from 1 to 65535');
      expect(e.url).to.equal('amqp://user:****@host:99999/');
    });

    it('never shows an arbitrary password, in the URL or in errors (property)', () => {
      const password = fc.string({ unit: 'binary', minLength: 1, maxLength: 16 });
      fc.assert(
        fc.property(password, (pw) => {
          const url = new TransportUrl({ scheme: 'amqp', hosts: [{ hostname: 'h', port: 5672, username: 'u', password: pw }] });
          const shown = 'amqp://u:****@h:5672/';
          expect(String(url)).to.equal(shown);
          expect(redactTransportUrl(url)).to.equal(shown);
          expect(redactTransportUrl(formatTransportUrl(url))).to.equal(shown);
          expect(JSON.stringify(url)).to.equal(JSON.stringify(shown));
        }),
        { numRuns: 500 },
      );
      // A raw password (not percent-encoded) in a URL that is refused: the message must not show it.
      // '/', '?' and '#' end the host list, so a password holding them is not a password to the URL syntax.
      // The message is the redacted URL and a reason made of fixed words only.
      const raw = password.filter((pw) => !/[/?#]/.test(pw));
      fc.assert(
        fc.property(raw, (pw) => {
          const e = thrown(() => parseTransportUrl(`amqp://user:${pw}@host:99999/`)) as InvalidTransportURL;
          expect(e).to.be.instanceOf(InvalidTransportURL);
          expect(e.url).to.be.oneOf(['amqp://user:****@host:99999/', 'amqp://****@host:99999/']);
          expect(e.reason).to.match(/^(host \d: (the port is not an integer|the port is not from 1 to 65535|empty hostname|.* in the credentials.*)|unbalanced brackets in the host list)$/);
          expect(e.message).to.equal(`Invalid transport URL "${e.url}": ${e.reason}`);
        }),
        { numRuns: 500 },
      );
    });
  });
});
