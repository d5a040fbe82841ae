import { budgetScenarios } from '../support/budget-scenarios';
import { peerUrl, requirePeer } from '../support/peers';
import { addressingPresets } from '../../lib';

// RabbitMQ 3.10's AMQP 1.0 plugin never sets the header's delivery-count (a redelivery
// shows only first-acquirer false), so the budget cannot count there: the scenarios
// assert that, and that the failure strategies still settle as asked.
budgetScenarios({
  name: 'RabbitMQ 3.10 (AMQP 1.0 plugin)',
  setup: (ctx) => requirePeer(ctx, 'rabbitmq'),
  url: () => peerUrl('rabbitmq'),
  options: { ...addressingPresets.rabbitmq3 },
  countsDeliveries: false,
});
