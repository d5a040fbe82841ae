import { coreScenarios } from '../support/core-scenarios';
import { peerUrl, requirePeer, startProtonBroker } from '../support/peers';
import { freePort } from '../support/ports';

coreScenarios({
  name: 'the Qpid Proton C++ broker',
  setup: (ctx) => requirePeer(ctx, 'proton'),
  url: () => peerUrl('proton'),
  async restartable() {
    const port = await freePort();
    let broker = await startProtonBroker(port);
    return {
      url: broker.url,
      stop: () => broker.stop(),
      start: async () => {
        broker = await startProtonBroker(port);
      },
      dispose: () => broker.stop(),
    };
  },
  storeAndForward: true,
  // the example broker settles a queued message when it sends it: a release drops it
  redeliversReleased: false,
  countsFailedDeliveries: false,
  endToEndOutcomes: false,
});
