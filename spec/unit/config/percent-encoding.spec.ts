import { expect } from 'chai';
import fc from 'fast-check';
import { formatQuery, parseQuery, quote, quotePlus, unquote } from '../../../lib/config/percent-encoding';

// Expected values are Python 3.11's urllib.parse results.
describe('config: percent-encoding (as Python urllib.parse)', () => {
  it('unquote decodes runs of escapes as UTF-8 and keeps malformed ones', () => {
    expect(unquote('us%40er')).to.equal('us@er');
    expect(unquote('%C3%A9t%C3%A9')).to.equal('été');
    expect(unquote('%zz%4')).to.equal('%zz%4');
    expect(unquote('%C3')).to.equal('\uFFFD');
    expect(unquote('%C3a%A9')).to.equal('\uFFFDa\uFFFD');
    expect(unquote('%EF%BB%BFx')).to.equal('\uFEFFx');
    expect(unquote('a+b')).to.equal('a+b');
    expect(unquote('é%20')).to.equal('é ');
  });

  it('quote escapes all but A-Z a-z 0-9 _ . ~ - and the safe characters', () => {
    expect(quote("a b!*'()~_.-", '')).to.equal('a%20b%21%2A%27%28%29~_.-');
    expect(quote('v/h%', '/')).to.equal('v/h%25');
    expect(quote('v/h')).to.equal('v/h');
    expect(quote('é😀', '')).to.equal('%C3%A9%F0%9F%98%80');
    expect(quotePlus('a b+c')).to.equal('a+b%2Bc');
  });

  it('parseQuery reads like parse_qs and joins repeated names with commas', () => {
    expect(parseQuery('a=1&a=2&b=+x+&c=&d&&e=v=w&%41=%42')).to.deep.equal({ a: '1,2', b: ' x ', e: 'v=w', A: 'B' });
    expect(parseQuery('')).to.deep.equal({});
    expect(parseQuery('__proto__=x')).to.have.own.property('__proto__', 'x');
  });

  it('formatQuery writes like urlencode, replacing the values asked for', () => {
    expect(formatQuery({ 'k y': 'a,b c', x: '=&' })).to.equal('k+y=a%2Cb+c&x=%3D%26');
    expect(formatQuery({ a: '1', secret: 's' }, (name) => (name === 'secret' ? '****' : undefined))).to.equal('a=1&secret=****');
  });

  it('unquote(quote(s)) is s, and unquote never throws (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(unquote(quote(s, ''))).to.equal(s);
        expect(unquote(quotePlus(s).replace(/\+/g, ' '))).to.equal(s);
        expect(typeof unquote(s)).to.equal('string');
      }),
      { numRuns: 1000 },
    );
  });

  it('parseQuery(formatQuery(q)) is q for non-empty values (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary', minLength: 1 })), (query) => {
        expect(parseQuery(formatQuery(query))).to.deep.equal(query);
      }),
      { numRuns: 500 },
    );
  });
});
