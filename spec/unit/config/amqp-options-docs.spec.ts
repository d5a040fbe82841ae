import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPTION_TABLE, type OptionName } from '../../../lib/config';

/** How a default is written in the doc comments. */
function written(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(written).join(', ')}]`;
  return String(value);
}

// The AmqpOptions doc comments repeat each option's oslo name, default and minimum for
// readers of the API docs; this keeps them equal to OPTION_TABLE, the one source.
describe('config: AmqpOptions documentation', () => {
  const source = readFileSync(join(__dirname, '../../../lib/config/amqp-options.ts'), 'utf8');
  const docs = new Map<string, string>();
  for (const m of source.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*readonly (\w+)\??:/g)) docs.set(m[2], m[1].replace(/\s*\n\s*\*\s*/g, ' '));

  it('documents every option and nothing else', () => {
    expect([...docs.keys()].sort()).to.deep.equal(Object.keys(OPTION_TABLE).sort());
  });

  for (const name of Object.keys(OPTION_TABLE) as OptionName[]) {
    it(`states ${name}'s oslo name, default and minimum as the table does`, () => {
      const spec = OPTION_TABLE[name];
      const doc = docs.get(name) ?? '';
      expect(doc.trim().startsWith(`\`${spec.oslo}\``), doc).to.equal(true);
      if (!spec.optional) expect(doc).to.include(`Default ${written(spec.default)}.`);
      const least = /at least (-?\d+)( s)?/.exec(doc);
      if (spec.min !== undefined && spec.min !== 0) expect(least, `${name} should state its minimum`).to.not.equal(null);
      if (least) {
        expect(Number(least[1])).to.equal(spec.min);
        expect(least[2] === ' s').to.equal(spec.unit === 's');
      }
    });
  }
});
