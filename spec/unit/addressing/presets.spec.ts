import { expect } from 'chai';
import { type AddressingOptions, addressingPresets, createAddresser } from '../../../lib/addressing';
import { DEFAULTS } from './fixtures';

describe('addressingPresets', () => {
  const fanout = { topic: 't', fanout: true };

  it('activemq: legacy with a topic:// broadcast prefix (even though ActiveMQ advertises a product)', () => {
    const o: AddressingOptions = { ...DEFAULTS, ...addressingPresets.activemq };
    const a = createAddresser(o, { product: 'ActiveMQ' });
    expect(a.resolve(fanout, 'rpc')).to.equal('topic://broadcast.openstack.t.all');
    expect(a.resolve({ topic: 't', server: 's' }, 'rpc')).to.equal('exclusive.openstack.t.s');
    expect(a.resolve({ topic: 't' }, 'rpc')).to.equal('unicast.openstack.t');
  });

  it('rabbitmq3: legacy with a /topic/ broadcast prefix; plain queue names otherwise', () => {
    const o: AddressingOptions = { ...DEFAULTS, ...addressingPresets.rabbitmq3 };
    const a = createAddresser(o, { product: 'RabbitMQ' });
    expect(a.resolve(fanout, 'rpc')).to.equal('/topic/broadcast.openstack.t.all');
    expect(a.resolve({ topic: 't' }, 'notify')).to.equal('unicast.openstack.t');
    expect(a.resolve({ topic: 't', server: 's' }, 'rpc')).not.to.include('/');
  });

  it('qpidd and qdrouterd fix the syntax whatever the peer says', () => {
    expect(createAddresser({ ...DEFAULTS, ...addressingPresets.qpidd }, { product: 'x' }).syntax).to.equal('legacy');
    expect(createAddresser({ ...DEFAULTS, ...addressingPresets.qdrouterd }, {}).syntax).to.equal('routable');
  });

  it('is a frozen record; explicit options given after a preset win', () => {
    expect(Object.isFrozen(addressingPresets)).to.equal(true);
    expect(Object.isFrozen(addressingPresets.activemq)).to.equal(true);
    const o: AddressingOptions = { ...DEFAULTS, ...addressingPresets.activemq, broadcastPrefix: 'topic://fan' };
    expect(createAddresser(o, {}).resolve(fanout, 'rpc')).to.equal('topic://fan.openstack.t.all');
  });
});
