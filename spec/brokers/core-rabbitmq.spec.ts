import { coreScenarios } from '../support/core-scenarios';
import { peerUrl, requirePeer, restartRabbitmq } from '../support/peers';

coreScenarios({
  name: 'RabbitMQ 3.10 (AMQP 1.0 plugin)',
  setup: (ctx) => requirePeer(ctx, 'rabbitmq'),
  url: () => peerUrl('rabbitmq'),
  badCredentialsUrl: () => peerUrl('rabbitmq').replace(/\/\/[^@]*@/, '//guest:wrong-password@'),
  async restartable() {
    return {
      url: peerUrl('rabbitmq'),
      stop: () => restartRabbitmq('stop'),
      start: () => restartRabbitmq('start'),
      // make sure the shared node is up again even if the scenario failed half way
      dispose: () => restartRabbitmq('start'),
    };
  },
  storeAndForward: true,
  redeliversReleased: true,
  countsFailedDeliveries: false,
  endToEndOutcomes: false,
});
