import { expect } from 'chai';
import fc from 'fast-check';
import { isValidVersion, versionIsCompatible } from '../../../lib/wire';
import { loadFixture } from './fixtures';

const { pairs } = loadFixture<{ pairs: Array<[string | null, string | null, boolean | string]> }>('versions');

describe('versionIsCompatible (oslo _utils.version_is_compatible)', () => {
  it(`agrees with Python on ${pairs.length} version pairs (false where Python raises)`, () => {
    expect(pairs.length).to.equal(196);
    for (const [imp, req, python] of pairs) {
      const expected = typeof python === 'boolean' ? python : false;
      expect(versionIsCompatible(imp, req), `${imp} serving ${req}`).to.equal(expected);
    }
  });

  it('follows the rule of WIRE.md §8', () => {
    expect(versionIsCompatible(undefined, '9.9')).to.equal(true);
    expect(versionIsCompatible('1.0', undefined)).to.equal(false);
    expect(versionIsCompatible('1.2', '1.1')).to.equal(true);
    expect(versionIsCompatible('1.2', '1.2.1')).to.equal(false);
    expect(versionIsCompatible('1.2.3', '1.2.1')).to.equal(true);
    expect(versionIsCompatible('1.10', '1.9')).to.equal(true);
    expect(versionIsCompatible('2.0', '1.0')).to.equal(false);
  });

  it('reads parts only as far as Python does', () => {
    // the revision is read only when the minors are equal
    expect(versionIsCompatible('1.3', '1.2.x')).to.equal(true);
    expect(versionIsCompatible('1.2', '1.2.x')).to.equal(false);
    expect(versionIsCompatible('1.2', ' 1 . 1 ')).to.equal(true);
    expect(versionIsCompatible('1_0.0', '10.0')).to.equal(true);
  });

  it('isValidVersion wants major.minor[.rev] integers', () => {
    for (const v of ['1.0', '1.2.3', '10.20', '1.0.0.x']) expect(isValidVersion(v), v).to.equal(true);
    for (const v of ['1', '', 'a.b', '1.x', '1.0.x']) expect(isValidVersion(v), v).to.equal(false);
  });

  it('property: never throws; any version is compatible with itself when valid', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => {
      expect(versionIsCompatible(a, b)).to.be.a('boolean');
      expect(versionIsCompatible(a, a)).to.equal(isValidVersion(a));
    }), { numRuns: 500 });
  });
});
