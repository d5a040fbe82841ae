/**
 * Regenerates bench/RESULTS.md and bench/results/calls-per-second.svg from a run's JSON
 * (the latest in bench/results when none is named), without measuring again:
 *
 *   npx tsx bench/render.ts [bench/results/<timestamp>.json]
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { renderChart, renderResults } from './report';
import type { BenchResults } from './results';

const dir = resolve(__dirname, 'results');
const latest = readdirSync(dir)
  .filter((f) => /^\d{4}-\d\d-\d\dT.*\.json$/.test(f))
  .sort()
  .pop();
const file = process.argv[2] ? resolve(process.argv[2]) : latest && resolve(dir, latest);
if (!file) {
  console.error('no results in bench/results: run npm run bench first');
  process.exit(1);
}
const results = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
writeFileSync(resolve(dir, 'calls-per-second.svg'), renderChart(results));
writeFileSync(resolve(__dirname, 'RESULTS.md'), renderResults(results, `results/${basename(file)}`, 'results/calls-per-second.svg'));
console.log(`bench/RESULTS.md and bench/results/calls-per-second.svg from ${basename(file)}`);
