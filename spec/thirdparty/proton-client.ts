/**
 * Runs the third-party Qpid Proton client (`python/proton_client.py`, Debian's
 * python3-qpid-proton under /usr/bin/python3) from tests, every run bounded.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { PYTHON, exited, tailOf, terminate, track } from '../interop/python-process';
import { within } from '../support/wait';

/** The client program. */
export const PROTON_CLIENT = resolve(__dirname, 'python', 'proton_client.py');

/** What the client does: see the program's doc string. */
export type ProtonCommand = 'round-trip' | 'request-reply';

/** Delivery outcomes the client's sender saw. */
export interface ProtonOutcomes {
  /** Accepted by the intermediary. */
  readonly accepted: number;
  /** Rejected. */
  readonly rejected: number;
  /** Released. */
  readonly released: number;
}

/** The JSON line one run printed (fields per command; `error` and `remote` when it failed). */
export interface ProtonRun {
  /** True when every message (or reply) came back as expected. */
  readonly ok: boolean;
  /** Why it failed. */
  readonly error?: string;
  /** The AMQP error the intermediary sent, if any. */
  readonly remote?: { readonly condition: string; readonly description?: string };
  /** Messages (or requests) sent. */
  readonly sent: number;
  /** Outcomes of those sends. */
  readonly outcomes: ProtonOutcomes;
  /** round-trip: messages received. */
  readonly received?: number;
  /** round-trip: all bodies came back in sending order. */
  readonly inOrder?: boolean;
  /** round-trip: the names Proton gave its sender and receiver. */
  readonly linkNames?: { readonly sender: string; readonly receiver: string };
  /** request-reply: the address the intermediary gave the dynamic source. */
  readonly replyAddress?: string | null;
  /** request-reply: requests the responder answered. */
  readonly answered?: number;
  /** request-reply: replies that matched their request by correlation id. */
  readonly replies?: number;
  /** request-reply: replies that matched no request. */
  readonly unmatched?: number;
}

/** Python's own start-up and shutdown, on top of the run's deadline. */
const SLACK_MS = 15_000;

/**
 * Runs one `command` against `url` on `address` with `count` messages and resolves
 * with what it printed. The client gives up after `timeoutS` and prints why; the
 * process is killed if it outlives that by 15 s.
 */
export async function runProtonClient(command: ProtonCommand, url: string, address: string, count: number, timeoutS = 15): Promise<ProtonRun> {
  const argv = [PROTON_CLIENT, command, '--url', url, '--address', address, '--count', String(count), '--timeout', String(timeoutS)];
  const child = track(spawn(PYTHON, argv, { stdio: ['ignore', 'pipe', 'pipe'] }));
  const stdout = tailOf(child.stdout);
  const stderr = tailOf(child.stderr);
  try {
    await within(exited(child), `the proton client (${command}) to exit`, timeoutS * 1000 + SLACK_MS);
  } finally {
    await terminate(child);
  }
  const last = stdout().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as ProtonRun;
  } catch {
    throw new Error(`the proton client (${command}) printed no result (exit ${child.exitCode ?? child.signalCode}): ${stdout()} ${stderr()}`);
  }
}
