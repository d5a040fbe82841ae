import { expect } from 'chai';
import { budgetScenarios } from '../support/budget-scenarios';
import { InvalidOption, createTransport, notificationListener, rpcServer } from '../../lib';
import { startEmbeddedIntermediary, type EmbeddedIntermediary } from '../../lib/testing';

let intermediary: EmbeddedIntermediary;
budgetScenarios({
  name: 'the embedded intermediary (broker)',
  async setup() {
    intermediary = await startEmbeddedIntermediary({ mode: 'broker' });
  },
  teardown: () => intermediary.stop(),
  url: () => intermediary.url,
  countsDeliveries: true,
});

describe('maxDeliveries validation', () => {
  for (const bad of [0, -1, 1.5, Number.NaN, '3' as unknown as number]) {
    it(`rpcServer and notificationListener refuse maxDeliveries ${String(bad)} with InvalidOption`, () => {
      const transport = createTransport('amqp://127.0.0.1:1');
      const errors: unknown[] = [];
      rpcServer(transport, { topic: 't', server: 's' }, { maxDeliveries: bad }).subscribe({ error: (e) => errors.push(e) });
      notificationListener(transport, [{ topic: 't' }], { maxDeliveries: bad }).subscribe({ error: (e) => errors.push(e) });
      expect(errors).to.have.length(2);
      for (const e of errors) expect(e).to.be.instanceOf(InvalidOption).and.have.property('option', 'maxDeliveries');
      void transport.close();
    });
  }
});
