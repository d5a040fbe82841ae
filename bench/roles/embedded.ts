/** The embedded intermediary (broker personality) in its own process. */
import { osloRxTesting } from '../oslo-rx';

const { startEmbeddedIntermediary } = osloRxTesting;
import type { Role, RoleOptions } from '../role';

/** Starts it on `options.port`; its URL goes in the ready line. */
export async function embeddedIntermediary(options: Pick<RoleOptions, 'port'>): Promise<Role> {
  const intermediary = await startEmbeddedIntermediary({ mode: 'broker', host: '127.0.0.1', port: options.port ?? 0 });
  return {
    facts: { url: intermediary.url },
    handle: () => undefined,
    close: () => intermediary.stop(),
  };
}
