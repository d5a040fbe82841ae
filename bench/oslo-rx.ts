/**
 * oslo-rx as its users run it: the compiled package in `dist/` (bench/build-dist.ts builds it before the children start), not
 * the TypeScript sources through tsx, whose name-keeping helper gives every closure a
 * property table of its own (4-5 KiB and several µs per call that no user pays).
 */
import { resolve } from 'node:path';
import type * as Lib from '../lib';
import type * as Testing from '../lib/testing';

const root = resolve(__dirname, '..');

/** The compiled oslo-rx (`dist/index.js`). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const osloRx: typeof Lib = require(resolve(root, 'dist'));

/** The compiled `oslo-rx/testing` (`dist/testing/index.js`). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const osloRxTesting: typeof Testing = require(resolve(root, 'dist/testing'));
