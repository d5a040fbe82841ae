/**
 * The child side of the benchmark's line protocol: the parent writes one JSON command a line
 * on stdin (`{ id, cmd, ...args }`), the child answers each with one JSON line on stdout
 * (`{ id, ok: true, result }` or `{ id, ok: false, error }`), in any order. The first line a
 * child writes is `{ ready: true, ...facts }`.
 */
import { createInterface } from 'node:readline';

/** A command from the parent. */
export interface Command {
  readonly id: number;
  readonly cmd: string;
  readonly [arg: string]: unknown;
}

/** What a role does with each command; `exit` is handled by the protocol. */
export type CommandHandler = (command: Command) => Promise<unknown>;

function write(line: unknown): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/**
 * Announces readiness with `facts`, then answers commands with `handle` until stdin closes
 * or an `exit` command arrives, when `close` runs and the process exits.
 */
export function serveCommands(facts: Record<string, unknown>, handle: CommandHandler, close: () => Promise<void>): void {
  write({ ready: true, ...facts });
  const lines = createInterface({ input: process.stdin });
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    const forced = setTimeout(() => process.exit(0), 5000);
    forced.unref();
    await close().catch(() => undefined);
    process.exit(0);
  };
  lines.on('line', (line) => {
    if (!line.trim()) return;
    const command = JSON.parse(line) as Command;
    if (command.cmd === 'exit') {
      write({ id: command.id, ok: true, result: null });
      void shutdown();
      return;
    }
    handle(command).then(
      (result) => write({ id: command.id, ok: true, result: result ?? null }),
      (error: unknown) => write({ id: command.id, ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
    );
  });
  lines.on('close', () => void shutdown());
}
