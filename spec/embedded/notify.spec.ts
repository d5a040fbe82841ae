import { notifyScenarios } from '../support/notify-scenarios';
import { startEmbeddedIntermediary, type EmbeddedIntermediary } from '../../lib/testing';

for (const mode of ['broker', 'router'] as const) {
  let intermediary: EmbeddedIntermediary;
  notifyScenarios({
    name: `the embedded intermediary (${mode})`,
    async setup() {
      intermediary = await startEmbeddedIntermediary({ mode });
    },
    teardown: () => intermediary.stop(),
    url: () => intermediary.url,
    storeAndForward: mode === 'broker',
    redeliversRequeued: mode === 'broker',
  });
}
