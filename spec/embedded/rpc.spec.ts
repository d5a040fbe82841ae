import { rpcScenarios } from '../support/rpc-scenarios';
import { startEmbeddedIntermediary, type EmbeddedIntermediary } from '../../lib/testing';

for (const mode of ['broker', 'router'] as const) {
  let intermediary: EmbeddedIntermediary;
  rpcScenarios({
    name: `the embedded intermediary (${mode})`,
    async setup() {
      intermediary = await startEmbeddedIntermediary({ mode });
    },
    teardown: () => intermediary.stop(),
    url: () => intermediary.url,
    fanoutToAll: true,
    redeliversRequeued: mode === 'broker',
  });
}
