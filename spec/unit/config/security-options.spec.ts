import { expect } from 'chai';
import { inspect } from 'node:util';
import { InvalidOption, parseTransportUrl, resolveAmqpOptions } from '../../../lib/config';

function invalid(fn: () => unknown): InvalidOption {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(InvalidOption);
    return e as InvalidOption;
  }
  return expect.fail('expected InvalidOption');
}

describe('config: TLS and SASL options', () => {
  it('accepts the SASL mechanisms oslo-rx supports, in any case, and refuses the others by name', () => {
    expect(resolveAmqpOptions({ saslMechanisms: 'plain EXTERNAL' }).saslMechanisms).to.equal('plain EXTERNAL');
    expect(resolveAmqpOptions({}, { sasl_mechanisms: 'ANONYMOUS' }).saslMechanisms).to.equal('ANONYMOUS');
    const e = invalid(() => resolveAmqpOptions({}, { sasl_mechanisms: 'PLAIN GSSAPI' }));
    expect(e.option).to.equal('sasl_mechanisms');
    expect(e.message).to.include('ANONYMOUS, PLAIN, EXTERNAL');
    expect(invalid(() => resolveAmqpOptions({ saslMechanisms: 'SCRAM-SHA-1' })).option).to.equal('saslMechanisms');
  });

  it('refuses a Cyrus SASL configuration clearly instead of ignoring it', () => {
    const dir = invalid(() => resolveAmqpOptions({ saslConfigDir: '/etc/sasl2' }));
    expect(dir.option).to.equal('saslConfigDir');
    expect(dir.message).to.include('no Cyrus SASL');
    expect(invalid(() => resolveAmqpOptions({}, { sasl_config_name: 'qdrouterd' })).message).to.include('no Cyrus SASL');
    expect(resolveAmqpOptions({ saslConfigDir: '', saslConfigName: '' }).saslConfigDir).to.equal('');
  });

  it('takes Node TLS settings in code only, and never shows them', () => {
    const options = resolveAmqpOptions({ tls: { minVersion: 'TLSv1.3', passphrase: 'tls-secret-1' } });
    expect(options.tls?.minVersion).to.equal('TLSv1.3');
    const url = invalid(() => resolveAmqpOptions({}, { tls: 'minVersion=TLSv1.3' }));
    expect(url.message).to.include('given in code');
    expect(invalid(() => resolveAmqpOptions({ tls: 'TLSv1.3' as never })).option).to.equal('tls');
    expect(inspect(options, { depth: Infinity })).to.not.include('tls-secret-1');
    expect(JSON.stringify(options)).to.not.include('tls-secret-1');
  });

  it('shows resolved options and parsed hosts without their secrets', () => {
    const options = resolveAmqpOptions({ sslKeyPassword: 'key-secret-2' });
    expect(options.sslKeyPassword).to.equal('key-secret-2');
    expect(inspect(options)).to.not.include('key-secret-2');
    expect(inspect(options)).to.include("sslKeyPassword: '****'");
    expect(JSON.stringify(options)).to.not.include('key-secret-2');
    expect({ ...options }.sslKeyPassword).to.equal('key-secret-2');
    const host = parseTransportUrl('amqps://u:p%40ss-3@h:5671').hosts[0];
    expect(host.password).to.equal('p@ss-3');
    expect(inspect(host, { depth: Infinity, showHidden: true })).to.not.include('p@ss-3');
    expect(JSON.stringify(host)).to.not.include('p@ss-3');
    expect(host).to.deep.equal({ hostname: 'h', port: 5671, username: 'u', password: 'p@ss-3' });
  });
});
