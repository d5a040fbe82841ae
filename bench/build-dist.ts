/** Compiles `lib/` into `dist/` before a run, so the children measure the sources as they are. */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Runs `tsc -p tsconfig.build.json` (as `npm run build`); throws on a compile error. */
export function buildDist(): void {
  const root = resolve(__dirname, '..');
  const r = spawnSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', resolve(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`building dist/ failed (tsc exited ${r.status})`);
}
