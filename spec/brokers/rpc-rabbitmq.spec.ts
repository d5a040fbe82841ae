import { rpcScenarios } from '../support/rpc-scenarios';
import { peerUrl, requirePeer } from '../support/peers';
import { addressingPresets } from '../../lib';

rpcScenarios({
  name: 'RabbitMQ 3.10 (AMQP 1.0 plugin)',
  setup: (ctx) => requirePeer(ctx, 'rabbitmq'),
  url: () => peerUrl('rabbitmq'),
  // legacy addresses, and fanout through /topic/ (the plugin refuses routable names)
  options: { ...addressingPresets.rabbitmq3 },
  fanoutToAll: true,
  redeliversRequeued: true,
});
