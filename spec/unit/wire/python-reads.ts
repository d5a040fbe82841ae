/**
 * Asks Debian's Python (`/usr/bin/python3`, always present where the suite runs) how its
 * `json` module reads and writes texts, all in one process: the proof that what oslo-rx
 * writes is what a Python peer reads.
 */
import { spawnSync } from 'node:child_process';

const PYTHON = '/usr/bin/python3';

const SCRIPT = String.raw`
import json, math, sys

def unwrap(v):
    # oslo's JSON inside JSON: a v2 envelope's message and a reply's failure, read as values
    if isinstance(v, dict):
        return {k: unwrap(json.loads(x) if k in ('oslo.message', 'failure') and isinstance(x, str) else x) for k, x in v.items()}
    if isinstance(v, list):
        return [unwrap(x) for x in v]
    return v

def same(a, b):
    # same type, value and key order; NaN equals NaN; -0.0 differs from 0.0
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b

for line in sys.stdin:
    text, reference = json.loads(line)
    a, b = unwrap(json.loads(text)), unwrap(json.loads(reference))
    print(json.dumps({"same": same(a, b), "redumped": json.dumps(json.loads(reference))}))
`;

/** What Python made of one pair of texts. */
export interface PythonReading {
  /** `json.loads` of both texts gives the same value (type, value and key order; JSON inside JSON read too). */
  readonly same: boolean;
  /** `json.dumps(json.loads(reference))`: Python's own text of the reference's value. */
  readonly redumped: string;
}

/**
 * For each `[text, reference]` pair: whether Python's `json.loads` reads both as the same
 * value, and how Python's `json.dumps` writes the reference's value.
 */
export function pythonReads(pairs: ReadonlyArray<readonly [string, string]>): PythonReading[] {
  const input = pairs.map((p) => JSON.stringify(p)).join('\n') + '\n';
  const run = spawnSync(PYTHON, ['-c', SCRIPT], { input, encoding: 'utf8', timeout: 20_000, maxBuffer: 64 * 1024 * 1024 });
  if (run.error || run.status !== 0) throw new Error(`${PYTHON} failed: ${run.error?.message ?? run.stderr}`);
  const lines = run.stdout.trim().split('\n');
  if (lines.length !== pairs.length) throw new Error(`${PYTHON} answered ${lines.length} of ${pairs.length} pairs`);
  return lines.map((l) => JSON.parse(l) as PythonReading);
}
