import { notifyScenarios } from '../support/notify-scenarios';
import { peerUrl, requirePeer } from '../support/peers';
import { addressingPresets } from '../../lib';

notifyScenarios({
  name: 'RabbitMQ 3.10 (AMQP 1.0 plugin)',
  setup: (ctx) => requirePeer(ctx, 'rabbitmq'),
  url: () => peerUrl('rabbitmq'),
  options: { ...addressingPresets.rabbitmq3 },
  storeAndForward: true,
  redeliversRequeued: true,
});
