/**
 * A benchmark child process: `node --import tsx bench/worker.ts <role> '<json options>'`.
 * It starts the role and answers the parent's commands (see worker-protocol.ts).
 */
import type { Role } from './role';
import { embeddedIntermediary } from './roles/embedded';
import { osloClient } from './roles/oslo-client';
import { osloListener } from './roles/oslo-listener';
import { osloServer } from './roles/oslo-server';
import { rawClient } from './roles/raw-client';
import { rawServer } from './roles/raw-server';
import { serveCommands } from './worker-protocol';

const roles: Record<string, (options: never) => Promise<Role>> = {
  'oslo-server': osloServer,
  'oslo-client': osloClient,
  'oslo-listener': osloListener,
  'raw-server': rawServer,
  'raw-client': rawClient,
  embedded: embeddedIntermediary,
};

async function main(): Promise<void> {
  const [name, json] = process.argv.slice(2);
  const start = roles[name];
  if (!start) throw new Error(`unknown role ${name}; one of ${Object.keys(roles).join(', ')}`);
  const role = await start(JSON.parse(json ?? '{}') as never);
  serveCommands(
    { role: name, pid: process.pid, ...role.facts },
    (command) => role.handle(command.cmd, command) ?? Promise.reject(new Error(`${name} has no command ${command.cmd}`)),
    () => role.close(),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
