#!/usr/bin/env node
/**
 * The `oslo-rx` executable: runs the command line and exits with its code.
 * @module
 */
import { runCli } from './run-cli';

/** Exits with `code` once everything written to stdout and stderr is flushed. */
function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = () => --pending === 0 && process.exit(code);
  process.stdout.write('', done);
  process.stderr.write('', done);
}

/** A reader that went away (`oslo-rx listen | head`) ends the command quietly, as with other tools. */
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(exitAfterFlush, (e: unknown) => {
  process.stderr.write(`oslo-rx: ${e instanceof Error ? e.message : String(e)}\n`);
  exitAfterFlush(1);
});
