import { addressingPresets } from '../../lib';
import { tracingScenarios } from '../support/tracing-scenarios';
import { peerUrl, requirePeer } from '../support/peers';

tracingScenarios({
  name: 'RabbitMQ 3.10 (AMQP 1.0 plugin)',
  setup: (ctx) => requirePeer(ctx, 'rabbitmq'),
  url: () => peerUrl('rabbitmq'),
  options: { ...addressingPresets.rabbitmq3 },
});
