import { notifyScenarios } from '../support/notify-scenarios';
import { peerUrl, requirePeer } from '../support/peers';

notifyScenarios({
  name: 'the Qpid Proton C++ broker',
  setup: (ctx) => requirePeer(ctx, 'proton'),
  url: () => peerUrl('proton'),
  storeAndForward: true,
  // it settles a message when it sends it: a released one is gone
  redeliversRequeued: false,
});
