import { expect } from 'chai';
import fc from 'fast-check';
import { pythonUtcTimestamp } from '../../../lib/wire';
import { type NotificationFixtures, loadFixture } from './fixtures';

const { timestamps } = loadFixture<NotificationFixtures>('notifications');

describe('pythonUtcTimestamp (str(datetime.utcnow()))', () => {
  for (const { epochMs, text } of timestamps) {
    it(`writes ${text} as Python does`, () => {
      expect(pythonUtcTimestamp(new Date(epochMs))).to.equal(text);
    });
  }

  it('defaults to now', () => {
    const before = Date.now();
    const ts = pythonUtcTimestamp();
    expect(Date.parse(`${ts.replace(' ', 'T')}Z`)).to.be.within(Math.floor(before / 1000) * 1000, Date.now());
  });

  it('property: the form is fixed and reads back to the same millisecond', () => {
    fc.assert(fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
      const ts = pythonUtcTimestamp(d);
      expect(ts).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{3}000)?$/);
      expect(new Date(`${ts.replace(' ', 'T')}Z`).getTime()).to.equal(d.getTime());
    }));
  });
});
