import { coreScenarios } from '../support/core-scenarios';
import { startEmbeddedIntermediary, type EmbeddedIntermediary } from '../../lib/embedded';
import { freePort } from '../support/ports';

for (const mode of ['broker', 'router'] as const) {
  let intermediary: EmbeddedIntermediary;
  let secured: EmbeddedIntermediary;
  coreScenarios({
    name: `the embedded intermediary (${mode})`,
    async setup() {
      intermediary = await startEmbeddedIntermediary({ mode });
      secured = await startEmbeddedIntermediary({ mode, users: { alice: 'secret' } });
    },
    async teardown() {
      await intermediary.stop();
      await secured.stop();
    },
    url: () => intermediary.url,
    badCredentialsUrl: () => secured.url.replace('amqp://', 'amqp://alice:wrong-password@'),
    async restartable() {
      const port = await freePort();
      let instance = await startEmbeddedIntermediary({ mode, port });
      return {
        url: instance.url,
        stop: () => instance.stop(),
        start: async () => {
          instance = await startEmbeddedIntermediary({ mode, port });
        },
        dispose: () => instance.stop(),
      };
    },
    storeAndForward: mode === 'broker',
    redeliversReleased: mode === 'broker',
    countsFailedDeliveries: mode === 'broker',
    endToEndOutcomes: mode === 'router',
  });
}
