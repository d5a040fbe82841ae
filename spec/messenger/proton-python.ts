/**
 * Runs the third-party Python Qpid Proton client (`python/proton_client.py`) from tests.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { PYTHON, tailOf, terminate, track } from '../interop/python-process';
import { within } from '../support/wait';

const CLIENT = resolve(__dirname, 'python', 'proton_client.py');

/** One JSON line the client printed. */
export type ClientLine = Readonly<Record<string, unknown>>;

/**
 * Runs `proton_client.py <argv>` and resolves with its JSON lines once it exits with
 * status 0 after printing `{"done": true}`; rejects otherwise or after `ms` (then kills it).
 */
export async function runProtonClient(argv: readonly string[], ms = 30_000): Promise<ClientLine[]> {
  const child = track(spawn(PYTHON, [CLIENT, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const stderr = tailOf(child.stderr);
  const stdout: string[] = [];
  child.stdout?.on('data', (c: Buffer) => stdout.push(c.toString()));
  try {
    const code = await within(new Promise<number | null>((done, fail) => {
      child.once('error', fail);
      child.once('exit', (c) => done(c));
    }), `python proton client ${argv[0]}`, ms);
    const lines = stdout.join('').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as ClientLine);
    if (code !== 0 || lines.at(-1)?.done !== true) throw new Error(`python proton client ${argv[0]} exited ${code}: ${stderr()}`);
    return lines.slice(0, -1);
  } finally {
    await terminate(child);
  }
}
