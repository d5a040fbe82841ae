import { tracingScenarios } from '../support/tracing-scenarios';
import { peerUrl, requirePeer } from '../support/peers';

tracingScenarios({
  name: 'the Qpid Proton C++ broker',
  setup: (ctx) => requirePeer(ctx, 'proton'),
  url: () => peerUrl('proton'),
});
