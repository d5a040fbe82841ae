import { rpcScenarios } from '../support/rpc-scenarios';
import { peerUrl, requirePeer } from '../support/peers';

rpcScenarios({
  name: 'the Qpid Proton C++ broker',
  setup: (ctx) => requirePeer(ctx, 'proton'),
  url: () => peerUrl('proton'),
  // every address is a queue there: a fanout cast reaches one server
  fanoutToAll: false,
  // it settles a message when it sends it, so a released one is gone
  redeliversRequeued: false,
});
