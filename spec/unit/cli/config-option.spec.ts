import { expect } from 'chai';
import { configOptions, joinConfigPairs } from '../../../lib/cli/config-option';

describe('--config of the oslo-rx command', () => {
  it('reads KEY VALUE as KEY=VALUE, before -- only', () => {
    expect(joinConfigPairs(['call', '--config', 'idle_timeout', '10', 'ping'])).to.deep.equal(['call', '--config', 'idle_timeout=10', 'ping']);
    expect(joinConfigPairs(['--config', 'idle_timeout=10', 'ping'])).to.deep.equal(['--config', 'idle_timeout=10', 'ping']);
    expect(joinConfigPairs(['--config', 'idle_timeout'])).to.deep.equal(['--config', 'idle_timeout']);
    expect(joinConfigPairs(['--config', '--url', 'u'])).to.deep.equal(['--config', '--url', 'u']);
    expect(joinConfigPairs(['--', '--config', 'a', 'b'])).to.deep.equal(['--', '--config', 'a', 'b']);
  });

  it("takes oslo's names with or without amqp_, in oslo's units", () => {
    expect(configOptions(['amqp_idle_timeout=10', 'rpc_server_credit=5', 'pre_settled=notify,rpc-cast', 'addressing_mode=routable'])).to.deep.equal({
      idleTimeoutMs: 10_000,
      rpcServerCredit: 5,
      preSettled: ['notify', 'rpc-cast'],
      addressingMode: 'routable',
    });
    expect(configOptions(['control_exchange=nova'])).to.deep.equal({ controlExchange: 'nova' });
    expect(configOptions([])).to.deep.equal({});
  });

  it('refuses an unknown key, a pair without =, and a bad value, naming the key (never a secret value)', () => {
    expect(() => configOptions(['amqp_bogus=1'])).to.throw('--config: unknown AMQP option "amqp_bogus"');
    expect(() => configOptions(['idle_timeout'])).to.throw('--config expects KEY VALUE or KEY=VALUE, got "idle_timeout"');
    expect(() => configOptions(['addressing_mode=sideways'])).to.throw(/--config: Invalid option addressing_mode = 'sideways'/);
    expect(() => configOptions(['amqp_ssl_key_passwor=hunter2'])).to.throw().with.property('message').that.does.not.include('hunter2');
  });
});
