/**
 * Runs a TypeScript file of this checkout as its own Node process (through tsx), bounded in time.
 */
import { execFile } from 'node:child_process';

/** How a script ended. */
export interface ScriptResult {
  /** Its exit code (null when it was killed). */
  readonly code: number | null;
  /** Everything it wrote to stdout. */
  readonly out: string;
  /** Everything it wrote to stderr. */
  readonly err: string;
}

/** The command line that runs `script` (a .ts path from the checkout's root) with `args`. */
export function nodeScript(script: string, args: readonly string[] = []): [string, string[]] {
  return [process.execPath, ['--import', 'tsx', script, ...args]];
}

/**
 * Runs `file` with `args` from the checkout's root; kills it after `timeoutMs` (the result
 * then has `code: null`). Never rejects: the caller asserts on the result.
 */
export function runProcess(file: string, args: readonly string[], timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<ScriptResult> {
  return new Promise((resolve) => {
    execFile(file, [...args], { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024, env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, out: String(stdout), err: String(stderr) });
    });
  });
}

/** Runs `script` (a .ts path) with `args` through tsx, bounded by `timeoutMs`. */
export function runScript(script: string, args: readonly string[], timeoutMs: number): Promise<ScriptResult> {
  const [file, argv] = nodeScript(script, args);
  return runProcess(file, argv, timeoutMs);
}
