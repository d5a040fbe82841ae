import { expect } from 'chai';
import {
  type AddressTarget, createAddresser, legacyAddresser, notificationTarget, routableAddresser,
} from '../../../lib/addressing';
import { DEFAULTS, addressFixtures } from './fixtures';

describe('addressers (legacy and routable)', () => {
  describe('match Python oslo.messaging 14.0.3 for every target shape, option set, vhost and service', () => {
    const { targets, cases } = addressFixtures;
    it('covers a large grid', () => {
      expect(cases.length).to.equal(64);
      expect(cases.reduce((n, c) => n + c.addresses.length, 0)).to.be.greaterThan(1500);
    });
    for (const c of cases) {
      const o = c.options;
      const name = `${o.addressingMode} pseudoVhost=${o.pseudoVhost} vhost=${JSON.stringify(c.vhost)} ` +
        `control=${JSON.stringify(o.controlExchange)} prefixes=${o.serverRequestPrefix}/${o.rpcAddressPrefix}`;
      it(name, () => {
        const vhost = c.vhost ?? undefined;
        const addresser = o.addressingMode === 'legacy' ? legacyAddresser(o, vhost) : routableAddresser(o, vhost);
        expect(addresser.syntax).to.equal(o.addressingMode);
        const ours = c.addresses.map(([i, service]) => [i, service, addresser.resolve(targets[i]!, service)]);
        expect(ours).to.deep.equal(c.addresses);
      });
    }
  });

  it('gives the observed examples of WIRE.md §1', () => {
    const legacy = legacyAddresser(DEFAULTS);
    const t = { exchange: 'openstack', topic: 'mytopic' };
    expect(legacy.resolve({ ...t, server: 'srv1' }, 'rpc')).to.equal('exclusive.openstack.mytopic.srv1');
    expect(legacy.resolve({ ...t, fanout: true }, 'rpc')).to.equal('broadcast.openstack.mytopic.all');
    expect(legacy.resolve(t, 'rpc')).to.equal('unicast.openstack.mytopic');
    expect(legacy.resolve(notificationTarget('notifications', 'ERROR'), 'notify')).to.equal('unicast.openstack.notifications.error');
    const routable = routableAddresser(DEFAULTS, 'myvh');
    expect(routable.resolve({ ...t, server: 'srv1' }, 'rpc')).to.equal('openstack.org/om/rpc/unicast/myvh/openstack/mytopic/srv1');
    expect(routable.resolve(notificationTarget('notifications', 'info'), 'notify'))
      .to.equal('openstack.org/om/notify/anycast/myvh/openstack/notifications.info');
  });

  it('fanout wins over server; an empty server is anycast', () => {
    const a = legacyAddresser(DEFAULTS);
    expect(a.resolve({ topic: 't', server: 's', fanout: true }, 'rpc')).to.equal('broadcast.openstack.t.all');
    expect(a.resolve({ topic: 't', server: '' }, 'rpc')).to.equal('unicast.openstack.t');
    expect(a.unicast({ topic: 't', server: 's' }, 'rpc')).to.equal('exclusive.openstack.t.s');
    expect(a.multicast({ topic: 't' }, 'notify')).to.equal('broadcast.openstack.t.all');
    expect(a.anycast({ topic: 't', server: 's' }, 'rpc')).to.equal('unicast.openstack.t');
  });

  it('pseudoVhost false keeps the vhost out of addresses', () => {
    const off = { ...DEFAULTS, pseudoVhost: false };
    expect(legacyAddresser(off, 'vh2').resolve({ topic: 't' }, 'rpc')).to.equal('unicast.openstack.t');
    expect(routableAddresser(off, 'vh2').resolve({ topic: 't' }, 'rpc')).to.equal('openstack.org/om/rpc/anycast/openstack/t');
    expect(legacyAddresser(DEFAULTS, 'vh2').resolve({ topic: 't' }, 'rpc')).to.equal('unicast.vh2.openstack.t');
  });

  it('exchange rules: legacy control exchange; routable per-service defaults, then control, then openstack', () => {
    const o = { ...DEFAULTS, controlExchange: 'nova', defaultRpcExchange: 'rpcx', defaultNotificationExchange: 'notx' };
    const t: AddressTarget = { topic: 't' };
    expect(legacyAddresser(o).resolve(t, 'notify')).to.equal('unicast.nova.t');
    expect(routableAddresser(o).resolve(t, 'rpc')).to.equal('openstack.org/om/rpc/anycast/rpcx/t');
    expect(routableAddresser(o).resolve(t, 'notify')).to.equal('openstack.org/om/notify/anycast/notx/t');
    expect(routableAddresser({ ...o, defaultRpcExchange: undefined }).resolve(t, 'rpc')).to.equal('openstack.org/om/rpc/anycast/nova/t');
    expect(routableAddresser({ ...DEFAULTS, controlExchange: '' }).resolve(t, 'rpc')).to.equal('openstack.org/om/rpc/anycast/openstack/t');
    expect(legacyAddresser({ ...DEFAULTS, controlExchange: '' }).resolve(t, 'rpc')).to.equal('unicast.t');
    expect(routableAddresser(o).resolve({ ...t, exchange: 'glance' }, 'notify')).to.equal('openstack.org/om/notify/anycast/glance/t');
  });

  it('createAddresser picks the syntax from the mode and the peer product', () => {
    expect(createAddresser(DEFAULTS, {}).syntax).to.equal('legacy');
    expect(createAddresser(DEFAULTS, { product: 'qpid-dispatch-router' }, 'vh').resolve({ topic: 't' }, 'rpc'))
      .to.equal('openstack.org/om/rpc/anycast/vh/openstack/t');
    expect(createAddresser({ ...DEFAULTS, addressingMode: 'legacy' }, { product: 'ActiveMQ' }).syntax).to.equal('legacy');
    expect(createAddresser({ ...DEFAULTS, addressingMode: 'routable' }, undefined).syntax).to.equal('routable');
  });

  it('notificationTarget lower-cases the priority and drops the exchange', () => {
    expect(notificationTarget('notifications', 'WARN')).to.deep.equal({ topic: 'notifications.warn' });
    expect(notificationTarget('a.b', 'Sample')).to.deep.equal({ topic: 'a.b.sample' });
  });

  it('addressers are immutable', () => {
    const a = legacyAddresser(DEFAULTS);
    expect(Object.isFrozen(a)).to.equal(true);
  });
});
