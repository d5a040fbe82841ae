import { expect } from 'chai';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { isLeft, isRight } from 'fp-ts/Either';
import { isMessagingError } from '../../../lib/errors';
import {
  AmqpOptionsCodec,
  DEFAULT_AMQP_OPTIONS,
  InvalidOption,
  OPTION_TABLE,
  type AmqpOptions,
  type OptionName,
  optionNamed,
  parseTransportUrl,
  resolveAmqpOptions,
  unknownQueryOptions,
} from '../../../lib/config';

/** The InvalidOption `fn` throws (failing the test if it returns or throws something else). */
function invalid(fn: () => unknown): InvalidOption {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(InvalidOption);
    return e as InvalidOption;
  }
  return expect.fail('expected InvalidOption');
}

/** oslo 14.0.3's defaults (opts.py, rpc/client.py, transport.py) in oslo-rx names and units, plus oslo-rx's own. */
const EXPECTED_DEFAULTS = {
  idleTimeoutMs: 0,
  trace: false,
  ssl: false,
  sslCaFile: '',
  sslCertFile: '',
  sslKeyFile: '',
  sslVerifyVhost: false,
  saslMechanisms: '',
  saslConfigDir: '',
  saslConfigName: '',
  saslDefaultRealm: '',
  connectionRetryIntervalMs: 1000,
  connectionRetryBackoff: 2,
  connectionRetryIntervalMaxMs: 30000,
  linkRetryDelayMs: 10000,
  defaultReplyRetry: 0,
  defaultReplyTimeoutMs: 30000,
  defaultSendTimeoutMs: 30000,
  defaultNotifyTimeoutMs: 30000,
  defaultSenderLinkTimeoutMs: 600000,
  addressingMode: 'dynamic',
  pseudoVhost: true,
  serverRequestPrefix: 'exclusive',
  broadcastPrefix: 'broadcast',
  groupRequestPrefix: 'unicast',
  rpcAddressPrefix: 'openstack.org/om/rpc',
  notifyAddressPrefix: 'openstack.org/om/notify',
  multicastAddress: 'multicast',
  unicastAddress: 'unicast',
  anycastAddress: 'anycast',
  replyLinkCredit: 200,
  rpcServerCredit: 100,
  notifyServerCredit: 100,
  preSettled: ['rpc-cast', 'rpc-reply'],
  controlExchange: 'openstack',
  rpcResponseTimeoutMs: 60000,
  maxMessageSize: 0,
  replyAddressFallback: 'auto',
  durableNotificationQueues: false,
  metricsIntervalMs: 5000,
  pythonExactJson: false,
};

/** Every option's oslo name, unit and minimum. */
const EXPECTED_OSLO = {
  containerName: ['container_name', 'none', undefined],
  idleTimeoutMs: ['idle_timeout', 's', 0],
  trace: ['trace', 'none', undefined],
  ssl: ['ssl', 'none', undefined],
  sslCaFile: ['ssl_ca_file', 'none', undefined],
  sslCertFile: ['ssl_cert_file', 'none', undefined],
  sslKeyFile: ['ssl_key_file', 'none', undefined],
  sslKeyPassword: ['ssl_key_password', 'none', undefined],
  sslVerifyVhost: ['ssl_verify_vhost', 'none', undefined],
  saslMechanisms: ['sasl_mechanisms', 'none', undefined],
  saslConfigDir: ['sasl_config_dir', 'none', undefined],
  saslConfigName: ['sasl_config_name', 'none', undefined],
  saslDefaultRealm: ['sasl_default_realm', 'none', undefined],
  connectionRetryIntervalMs: ['connection_retry_interval', 's', 1],
  connectionRetryBackoff: ['connection_retry_backoff', 'none', 0],
  connectionRetryIntervalMaxMs: ['connection_retry_interval_max', 's', 1],
  linkRetryDelayMs: ['link_retry_delay', 's', 1],
  defaultReplyRetry: ['default_reply_retry', 'none', -1],
  defaultReplyTimeoutMs: ['default_reply_timeout', 's', 5],
  defaultSendTimeoutMs: ['default_send_timeout', 's', 5],
  defaultNotifyTimeoutMs: ['default_notify_timeout', 's', 5],
  defaultSenderLinkTimeoutMs: ['default_sender_link_timeout', 's', 1],
  addressingMode: ['addressing_mode', 'none', undefined],
  pseudoVhost: ['pseudo_vhost', 'none', undefined],
  serverRequestPrefix: ['server_request_prefix', 'none', undefined],
  broadcastPrefix: ['broadcast_prefix', 'none', undefined],
  groupRequestPrefix: ['group_request_prefix', 'none', undefined],
  rpcAddressPrefix: ['rpc_address_prefix', 'none', undefined],
  notifyAddressPrefix: ['notify_address_prefix', 'none', undefined],
  multicastAddress: ['multicast_address', 'none', undefined],
  unicastAddress: ['unicast_address', 'none', undefined],
  anycastAddress: ['anycast_address', 'none', undefined],
  defaultNotificationExchange: ['default_notification_exchange', 'none', undefined],
  defaultRpcExchange: ['default_rpc_exchange', 'none', undefined],
  replyLinkCredit: ['reply_link_credit', 'none', 1],
  rpcServerCredit: ['rpc_server_credit', 'none', 1],
  notifyServerCredit: ['notify_server_credit', 'none', 1],
  preSettled: ['pre_settled', 'none', undefined],
  controlExchange: ['control_exchange', 'none', undefined],
  rpcResponseTimeoutMs: ['rpc_response_timeout', 's', 0],
  maxMessageSize: ['max_message_size', 'none', 0],
  replyAddressFallback: ['reply_address_fallback', 'none', undefined],
  durableNotificationQueues: ['durable_notification_queues', 'none', undefined],
  tls: ['tls', 'none', undefined],
  metricsIntervalMs: ['metrics_interval', 's', 0],
  pythonExactJson: ['python_exact_json', 'none', undefined],
};

const NAMES = Object.keys(OPTION_TABLE) as OptionName[];

describe('config: AMQP options', () => {
  describe('the option table and defaults', () => {
    it("has oslo's defaults, in milliseconds for durations", () => {
      expect({ ...DEFAULT_AMQP_OPTIONS }).to.deep.equal(EXPECTED_DEFAULTS);
      expect(resolveAmqpOptions()).to.deep.equal(EXPECTED_DEFAULTS);
      expect(resolveAmqpOptions({})).to.deep.equal(EXPECTED_DEFAULTS);
    });

    it('leaves containerName, sslKeyPassword and the default exchanges unset', () => {
      for (const name of ['containerName', 'sslKeyPassword', 'defaultNotificationExchange', 'defaultRpcExchange'] as const) {
        expect(DEFAULT_AMQP_OPTIONS).to.not.have.property(name);
        expect(OPTION_TABLE[name].optional).to.equal(true);
      }
    });

    it("records each option's oslo name, unit and minimum", () => {
      const recorded = Object.fromEntries(NAMES.map((n) => [n, [OPTION_TABLE[n].oslo, OPTION_TABLE[n].unit, OPTION_TABLE[n].min]]));
      expect(recorded).to.deep.equal(EXPECTED_OSLO);
    });

    it('marks only sslKeyPassword and tls as secret, and the groups of non-amqp options', () => {
      expect(NAMES.filter((n) => OPTION_TABLE[n].secret)).to.deep.equal(['sslKeyPassword', 'tls']);
      expect(NAMES.filter((n) => OPTION_TABLE[n].group === 'DEFAULT')).to.deep.equal(['controlExchange', 'rpcResponseTimeoutMs']);
      expect(NAMES.filter((n) => OPTION_TABLE[n].group === 'oslo-rx')).to.deep.equal(['maxMessageSize', 'replyAddressFallback', 'durableNotificationQueues', 'tls', 'metricsIntervalMs', 'pythonExactJson']);
    });

    it('maps every oslo name back to its option', () => {
      for (const name of NAMES) expect(optionNamed(OPTION_TABLE[name].oslo)).to.equal(name);
      expect(optionNamed('idleTimeoutMs')).to.equal(undefined);
      expect(optionNamed('no_such_option')).to.equal(undefined);
    });

    it('has defaults that pass their own codecs, and frozen', () => {
      expect(isRight(AmqpOptionsCodec.decode(DEFAULT_AMQP_OPTIONS))).to.equal(true);
      for (const name of NAMES) {
        const spec = OPTION_TABLE[name];
        if (!spec.optional) expect(spec.codec.is(spec.default), name).to.equal(true);
      }
      expect(Object.isFrozen(DEFAULT_AMQP_OPTIONS)).to.equal(true);
      expect(Object.isFrozen(DEFAULT_AMQP_OPTIONS.preSettled)).to.equal(true);
    });

    it('decodes anything to Right or Left without throwing (property)', () => {
      fc.assert(
        fc.property(fc.oneof(fc.anything(), fc.record({ idleTimeoutMs: fc.anything(), preSettled: fc.anything() })), (value) => {
          const result = AmqpOptionsCodec.decode(value);
          expect(isLeft(result) || isRight(result)).to.equal(true);
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('options given in code', () => {
    it('override the defaults and come back frozen', () => {
      const options = resolveAmqpOptions({ idleTimeoutMs: 30000, addressingMode: 'legacy', containerName: 'c1', sslKeyPassword: 'k' });
      expect(options).to.deep.include({ idleTimeoutMs: 30000, addressingMode: 'legacy', containerName: 'c1', sslKeyPassword: 'k' });
      expect(options.rpcServerCredit).to.equal(100);
      expect(Object.isFrozen(options)).to.equal(true);
    });

    it('ignore an undefined value', () => {
      expect(resolveAmqpOptions({ idleTimeoutMs: undefined, containerName: undefined })).to.deep.equal(EXPECTED_DEFAULTS);
    });

    it("copy preSettled so the caller's array cannot change them later", () => {
      const mine: AmqpOptions['preSettled'][number][] = ['notify'];
      const options = resolveAmqpOptions({ preSettled: mine });
      mine.push('rpc-call');
      expect(options.preSettled).to.deep.equal(['notify']);
      expect(Object.isFrozen(options.preSettled)).to.equal(true);
    });

    it('refuse an unknown name, hinting at the option an oslo name means', () => {
      const e = invalid(() => resolveAmqpOptions({ idle_timeout: 30 }));
      expect(e.option).to.equal('idle_timeout');
      expect(e.message).to.equal('Invalid option idle_timeout = ****: unknown option; did you mean idleTimeoutMs?');
      expect(invalid(() => resolveAmqpOptions({ fooBar: 1 })).message).to.equal('Invalid option fooBar = ****: unknown option');
    });

    it('refuse a value of the wrong type, naming the field and the value', () => {
      const e = invalid(() => resolveAmqpOptions({ idleTimeoutMs: '30' }));
      expect(e.option).to.equal('idleTimeoutMs');
      expect(e.value).to.equal('30');
      expect(e.message).to.equal("Invalid option idleTimeoutMs = '30': expected an integer >= 0 (milliseconds)");
      expect(invalid(() => resolveAmqpOptions({ trace: 'yes' })).option).to.equal('trace');
      expect(invalid(() => resolveAmqpOptions({ containerName: 5 })).option).to.equal('containerName');
      expect(invalid(() => resolveAmqpOptions({ addressingMode: 'router' })).message).to.equal(
        "Invalid option addressingMode = 'router': expected one of 'legacy', 'routable', 'dynamic'",
      );
      expect(invalid(() => resolveAmqpOptions({ replyAddressFallback: 'always' })).option).to.equal('replyAddressFallback');
      expect(invalid(() => resolveAmqpOptions({ rpcServerCredit: 1.5 })).option).to.equal('rpcServerCredit');
      expect(invalid(() => resolveAmqpOptions({ defaultSendTimeoutMs: Number.NaN })).option).to.equal('defaultSendTimeoutMs');
      expect(invalid(() => resolveAmqpOptions({ linkRetryDelayMs: Infinity })).option).to.equal('linkRetryDelayMs');
    });

    it('refuse a bad pre_settled entry, naming its index', () => {
      const e = invalid(() => resolveAmqpOptions({ preSettled: ['rpc-call', 'bogus'] }));
      expect(e.option).to.equal('preSettled.1');
      expect(e.value).to.equal('bogus');
      expect(invalid(() => resolveAmqpOptions({ preSettled: 'rpc-call' })).option).to.equal('preSettled');
    });

    it("enforce oslo's minimums (in milliseconds for durations)", () => {
      const edges: Array<[OptionName, number, number]> = [
        ['connectionRetryIntervalMs', 1000, 999],
        ['connectionRetryBackoff', 0, -1],
        ['connectionRetryIntervalMaxMs', 1000, 999],
        ['linkRetryDelayMs', 1000, 999],
        ['defaultReplyRetry', -1, -2],
        ['defaultReplyTimeoutMs', 5000, 4999],
        ['defaultSendTimeoutMs', 5000, 4999],
        ['defaultNotifyTimeoutMs', 5000, 4999],
        ['defaultSenderLinkTimeoutMs', 1000, 999],
        ['replyLinkCredit', 1, 0],
        ['rpcServerCredit', 1, 0],
        ['notifyServerCredit', 1, 0],
        ['idleTimeoutMs', 0, -1],
        ['rpcResponseTimeoutMs', 0, -1],
        ['maxMessageSize', 0, -1],
      ];
      for (const [name, lowest, below] of edges) {
        expect(resolveAmqpOptions({ [name]: lowest })[name], name).to.equal(lowest);
        const e = invalid(() => resolveAmqpOptions({ [name]: below }));
        expect(e.option).to.equal(name);
        expect(e.value).to.equal(below);
      }
    });

    it('must be an object', () => {
      for (const bad of [null, 5, 'idle_timeout=3', [1]]) {
        const e = invalid(() => resolveAmqpOptions(bad));
        expect(e.option).to.equal('options');
      }
    });

    it('never show a secret value in an InvalidOption', () => {
      const e = invalid(() => resolveAmqpOptions({ sslKeyPassword: { password: 'hunter2' } }));
      expect(e.option).to.equal('sslKeyPassword');
      expect(e.value).to.equal('****');
      expect(e.message).to.equal('Invalid option sslKeyPassword = ****: expected string');
      // A misspelt secret is an unknown name: its value is hidden too.
      const typo = invalid(() => resolveAmqpOptions({ sslKeyPasword: 'hunter2' }));
      expect(typo.value).to.equal('****');
      expect(typo.message).to.not.include('hunter2');
    });

    it('are InvalidOption MessagingErrors, not retryable', () => {
      const e = invalid(() => resolveAmqpOptions({ trace: 1 }));
      expect(isMessagingError(e, 'InvalidOption')).to.equal(true);
      expect(e.name).to.equal('InvalidOption');
      expect(e.retryable).to.equal(false);
    });

    it('give InvalidOption and nothing else for any value (property)', () => {
      fc.assert(
        fc.property(fc.constantFrom(...NAMES), fc.anything(), (name, value) => {
          try {
            const options = resolveAmqpOptions({ [name]: value });
            expect(options[name]).to.deep.equal(value === undefined ? DEFAULT_AMQP_OPTIONS[name] : value);
          } catch (e) {
            expect(e).to.be.instanceOf(InvalidOption);
            expect((e as InvalidOption).option.split('.')[0]).to.equal(name);
          }
        }),
        { numRuns: 1000 },
      );
    });
  });

  describe('options given in the URL query', () => {
    it("take oslo's names and units (seconds) and override the options object", () => {
      const options = resolveAmqpOptions(
        { idleTimeoutMs: 5000, rpcServerCredit: 10 },
        { idle_timeout: '30', connection_retry_interval: '2', rpc_response_timeout: '90', default_reply_retry: '-1' },
      );
      expect(options).to.deep.include({
        idleTimeoutMs: 30000,
        connectionRetryIntervalMs: 2000,
        rpcResponseTimeoutMs: 90000,
        defaultReplyRetry: -1,
        rpcServerCredit: 10,
      });
    });

    it('read the WIRE §7 URL: pseudo_vhost=false&idle_timeout=30', () => {
      const url = parseTransportUrl('amqp://us%40er:p%3Ass@127.0.0.1:25673/vh2?pseudo_vhost=false&idle_timeout=30');
      expect(resolveAmqpOptions({}, url.query)).to.deep.include({ pseudoVhost: false, idleTimeoutMs: 30000 });
    });

    it("read booleans as oslo does: true/1/on/yes and false/0/off/no, any case", () => {
      for (const word of ['true', 'TRUE', '1', 'yes', 'Yes', 'on']) expect(resolveAmqpOptions({}, { trace: word }).trace, word).to.equal(true);
      for (const word of ['false', 'False', '0', 'no', 'NO', 'off']) {
        expect(resolveAmqpOptions({ trace: true }, { trace: word }).trace, word).to.equal(false);
      }
      const e = invalid(() => resolveAmqpOptions({}, { pseudo_vhost: 'maybe' }));
      expect(e.option).to.equal('pseudo_vhost');
      expect(e.value).to.equal('maybe');
    });

    it('read integers with surrounding spaces, and refuse anything else', () => {
      expect(resolveAmqpOptions({}, { rpc_server_credit: ' 7 ' }).rpcServerCredit).to.equal(7);
      for (const text of ['3.5', 'abc', '1e3', ' ']) {
        const e = invalid(() => resolveAmqpOptions({}, { rpc_server_credit: text }));
        expect(e.option).to.equal('rpc_server_credit');
        expect(e.value).to.equal(text);
        expect(e.message).to.equal(`Invalid option rpc_server_credit = '${text}': expected an integer >= 1`);
      }
    });

    it("enforce oslo's minimums in oslo's units", () => {
      const e = invalid(() => resolveAmqpOptions({}, { connection_retry_interval: '0' }));
      expect(e.message).to.equal("Invalid option connection_retry_interval = '0': expected an integer >= 1 (seconds)");
      expect(invalid(() => resolveAmqpOptions({}, { default_send_timeout: '4' })).option).to.equal('default_send_timeout');
      expect(invalid(() => resolveAmqpOptions({}, { connection_retry_backoff: '-1' })).option).to.equal('connection_retry_backoff');
      expect(invalid(() => resolveAmqpOptions({}, { default_reply_retry: '-2' })).option).to.equal('default_reply_retry');
      expect(invalid(() => resolveAmqpOptions({}, { reply_link_credit: '0' })).option).to.equal('reply_link_credit');
      expect(resolveAmqpOptions({}, { connection_retry_backoff: '0' }).connectionRetryBackoff).to.equal(0);
    });

    it('read pre_settled as a comma-separated list (what a repeated name gives), case-insensitively', () => {
      expect(resolveAmqpOptions({}, { pre_settled: 'rpc-call,notify' }).preSettled).to.deep.equal(['rpc-call', 'notify']);
      expect(resolveAmqpOptions({}, parseTransportUrl('amqp://h/?pre_settled=rpc-call&pre_settled=notify').query).preSettled).to.deep.equal([
        'rpc-call',
        'notify',
      ]);
      expect(resolveAmqpOptions({}, { pre_settled: ' RPC-Cast , notify,,notify' }).preSettled).to.deep.equal(['rpc-cast', 'notify']);
    });

    it('refuse an unknown pre_settled value (oslo only warns)', () => {
      const e = invalid(() => resolveAmqpOptions({}, { pre_settled: 'rpc-call,bogus' }));
      expect(e.option).to.equal('pre_settled');
      expect(e.value).to.equal('rpc-call,bogus');
    });

    it('take strings and choices as they are', () => {
      const options = resolveAmqpOptions(
        {},
        {
          addressing_mode: 'legacy',
          broadcast_prefix: 'topic://broadcast',
          container_name: 'me',
          control_exchange: 'nova',
          default_rpc_exchange: 'rpcx',
          max_message_size: '1048576',
          reply_address_fallback: 'never',
        },
      );
      expect(options).to.deep.include({
        addressingMode: 'legacy',
        broadcastPrefix: 'topic://broadcast',
        containerName: 'me',
        controlExchange: 'nova',
        defaultRpcExchange: 'rpcx',
        maxMessageSize: 1048576,
        replyAddressFallback: 'never',
      });
      expect(invalid(() => resolveAmqpOptions({}, { addressing_mode: 'Legacy' })).option).to.equal('addressing_mode');
    });

    it('set the secret ssl_key_password, which is never shown', () => {
      expect(resolveAmqpOptions({}, { ssl_key_password: 'k3y' }).sslKeyPassword).to.equal('k3y');
      expect(String(parseTransportUrl('amqp://h/?ssl_key_password=k3y'))).to.equal('amqp://h:5672/?ssl_key_password=****');
    });

    it('ignore names that are no option, and list them for a warning', () => {
      const query = { idle_timeout: '1', idleTimeoutMs: '5', rabbit_ha_queues: 'true' };
      expect(resolveAmqpOptions({}, query).idleTimeoutMs).to.equal(1000);
      expect(unknownQueryOptions(query)).to.deep.equal(['idleTimeoutMs', 'rabbit_ha_queues']);
      expect(unknownQueryOptions({})).to.deep.equal([]);
    });

    it('read every duration in seconds (property)', () => {
      const durations = NAMES.filter((n) => OPTION_TABLE[n].unit === 's');
      expect(durations).to.have.length(10);
      fc.assert(
        fc.property(fc.constantFrom(...durations), fc.integer({ min: 5, max: 1_000_000 }), (name, seconds) => {
          expect(resolveAmqpOptions({}, { [OPTION_TABLE[name].oslo]: String(seconds) })[name]).to.equal(seconds * 1000);
        }),
        { numRuns: 300 },
      );
    });

    it('give InvalidOption and nothing else for any query text (property)', () => {
      fc.assert(
        fc.property(fc.constantFrom(...NAMES.map((n) => OPTION_TABLE[n].oslo)), fc.string({ unit: 'binary' }), (oslo, text) => {
          try {
            resolveAmqpOptions({}, { [oslo]: text });
          } catch (e) {
            expect(e).to.be.instanceOf(InvalidOption);
            expect((e as InvalidOption).option).to.equal(oslo);
          }
        }),
        { numRuns: 1000 },
      );
    });
  });
});

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
