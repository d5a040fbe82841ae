#!/usr/bin/python3
"""Regenerates the addressing and wire fixtures of oslo-rx's unit tests.

Every expected value comes from Debian's python3-oslo.messaging 14.0.3 (and
python3-qpid-proton for message bytes), so the TypeScript tests compare
against the real Python peer.  Run from the repository root:

    /usr/bin/python3 spec/unit/fixtures-gen/gen_fixtures.py
"""
import calendar
import datetime
import json
import math
import os
import random
import struct
import sys

from oslo_config import cfg
import oslo_messaging
from oslo_messaging import _utils
from oslo_messaging._drivers import common
from oslo_messaging._drivers import impl_amqp1
from oslo_messaging._drivers.amqp1_driver import addressing
from oslo_messaging.notify import _impl_test
from oslo_messaging.rpc import client as rpc_client
from oslo_messaging.rpc import dispatcher as rpc_dispatcher
from oslo_messaging import serializer as msg_serializer
from oslo_messaging.target import Target

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')


def write(path, data):
    with open(os.path.join(ROOT, path), 'w') as f:
        json.dump(data, f, indent=1, ensure_ascii=True)
        f.write('\n')


# --------------------------------------------------------------- addressing
def addresses():
    option_sets = [
        {},
        {'serverRequestPrefix': 'srv', 'broadcastPrefix': 'topic://broadcast',
         'groupRequestPrefix': 'grp', 'rpcAddressPrefix': 'rpc.pfx',
         'notifyAddressPrefix': 'n/pfx', 'multicastAddress': 'mc',
         'unicastAddress': 'uc', 'anycastAddress': 'ac',
         'defaultRpcExchange': 'rpcx', 'defaultNotificationExchange': 'notx',
         'controlExchange': 'nova'},
        {'controlExchange': ''},
        {'defaultNotificationExchange': 'notx', 'controlExchange': 'glance'},
    ]
    defaults = {'serverRequestPrefix': 'exclusive', 'broadcastPrefix': 'broadcast',
                'groupRequestPrefix': 'unicast', 'rpcAddressPrefix': 'openstack.org/om/rpc',
                'notifyAddressPrefix': 'openstack.org/om/notify', 'multicastAddress': 'multicast',
                'unicastAddress': 'unicast', 'anycastAddress': 'anycast',
                'controlExchange': 'openstack'}
    targets = [
        {'topic': 'mytopic'},
        {'topic': 'mytopic', 'server': 'srv1'},
        {'topic': 'mytopic', 'fanout': True},
        {'topic': 'mytopic', 'server': 'srv1', 'fanout': True},
        {'topic': 'mytopic', 'exchange': 'nova'},
        {'topic': 'mytopic', 'exchange': 'nova', 'server': 'srv1'},
        {'topic': 'mytopic', 'exchange': 'nova', 'fanout': True},
        {'topic': 'mytopic', 'exchange': '', 'server': ''},
        {'topic': 'mytopic', 'fanout': False, 'server': 'h.example.org'},
        {'topic': 'notifications.info'},
        {'topic': ''},
        {'topic': 'a.b/c', 'server': 's/1'},
    ]
    cases = []
    for opts in option_sets:
        full = dict(defaults, **opts)
        for pseudo in (True, False):
            for vhost in (None, '', 'myvh', '/'):
                for mode in ('legacy', 'routable'):
                    factory = addressing.AddresserFactory(
                        full['controlExchange'], mode,
                        legacy_server_prefix=full['serverRequestPrefix'],
                        legacy_broadcast_prefix=full['broadcastPrefix'],
                        legacy_group_prefix=full['groupRequestPrefix'],
                        rpc_prefix=full['rpcAddressPrefix'],
                        notify_prefix=full['notifyAddressPrefix'],
                        multicast=full['multicastAddress'],
                        unicast=full['unicastAddress'],
                        anycast=full['anycastAddress'],
                        rpc_exchange=full.get('defaultRpcExchange'),
                        notify_exchange=full.get('defaultNotificationExchange'))
                    addresser = factory({}, vhost if pseudo else None)
                    resolved = []
                    for i, t in enumerate(targets):
                        target = Target(**t)
                        for name, service in (('rpc', addressing.SERVICE_RPC),
                                              ('notify', addressing.SERVICE_NOTIFY)):
                            resolved.append([i, name, addresser.resolve(target, service)])
                    cases.append({'options': dict(full, addressingMode=mode, pseudoVhost=pseudo),
                                  'vhost': vhost, 'addresses': resolved})
    modes = []
    for mode in ('legacy', 'routable', 'dynamic'):
        for props in ({}, {'product': 'qpid-cpp'}, {'product': 'qpid-dispatch-router'},
                      {'product': 'ActiveMQ'}, {'product': 'RabbitMQ'}, {'product': None},
                      {'version': '1.0'}, {'product': 'QPID-CPP'}):
            factory = addressing.AddresserFactory(
                'openstack', mode, legacy_server_prefix='exclusive',
                legacy_broadcast_prefix='broadcast', legacy_group_prefix='unicast',
                rpc_prefix='r', notify_prefix='n', multicast='m', unicast='u', anycast='a')
            kind = factory(props, None)
            modes.append({'mode': mode, 'properties': props,
                          'expected': 'legacy' if isinstance(kind, addressing.LegacyAddresser)
                          else 'routable'})
    write('addressing/fixtures/addresses.json',
          {'generatedBy': 'spec/unit/fixtures-gen/gen_fixtures.py',
           'targets': targets, 'cases': cases, 'modes': modes})


# --------------------------------------------------------------------- json
def python_json():
    values = [
        None, True, False, 0, 1, -1, 42, 2 ** 53 - 1, -(2 ** 53 - 1), 10 ** 15,
        0.1, 0.5, -2.5, 1e-05, 0.0001, 0.00012345, 1.5e-07, -2.5e-300, 5e-324,
        123456.789, 3.141592653589793, 1234567890123456.8, 0.30000000000000004,
        1e-4, 9.999e-5, -0.0,
        float('nan'), float('inf'), float('-inf'),
        '', 'plain', 'quote " backslash \\ slash /',
        ''.join(chr(c) for c in range(0, 0x80)),
        'caf\u00e9 \u2603 \u2028\u2029 \ufeff \uffff',
        '\U0001f600 \U00010000 \U0010ffff',
        '\ud800 lone \udfff',
        [], {}, [[]], {'': {}},
        [1, 'two', 3.5, None, True, [False]],
        {'b': 1, 'a': 2, 'c': {'z': [], 'y': {}}},
        {'k\u00e9y': 'v\u00e4lue', '\U0001f511': '\U0001f600'},
        {'method': 'echo', 'args': {'x': 1, 'nested': {'deep': [1, {'d': None}]}}},
        [[[[[[[[[[['deep']]]]]]]]]]],
        {'nan': float('nan'), 'list': [float('inf'), float('-inf'), -0.0]},
    ]
    rnd = random.Random(20261125)
    floats = []
    while len(floats) < 400:
        f = struct.unpack('<d', rnd.getrandbits(64).to_bytes(8, 'little'))[0]
        if math.isfinite(f) and not f.is_integer():
            floats.append(f)
    floats += [rnd.uniform(-1, 1) * 10 ** rnd.randint(-12, 14) for _ in range(400)]
    values.append([f for f in floats if not f.is_integer()])
    for _ in range(20):
        values.append(''.join(chr(rnd.choice([rnd.randint(0, 0x7f), rnd.randint(0x80, 0xd7ff),
                                              rnd.randint(0xe000, 0x10ffff)]))
                              for _ in range(rnd.randint(0, 40))))
    cases = [{'text': json.dumps(v)} for v in values]
    write('wire/fixtures/python-json.json',
          {'generatedBy': 'spec/unit/fixtures-gen/gen_fixtures.py', 'cases': cases,
           'floatsAsInts': [{'python': json.dumps(1.0), 'loaded': 1},
                            {'python': json.dumps(1e16), 'loaded': 1e16},
                            {'python': json.dumps(-3.0), 'loaded': -3}]})


# ---------------------------------------------------------------------- rpc
class _FakeCallContext(object):
    def __init__(self, target):
        self.target = target
        self.serializer = msg_serializer.NoOpSerializer()


def proton_hex(msg):
    return msg.encode().hex()


def rpc():
    requests = []
    for target, method, args, ctxt, cmt in [
        (Target(topic='t'), 'echo', {'x': 1}, {'k': 'v'}, None),
        (Target(topic='t', namespace='ns', version='1.2'), 'echo', {'x': 1, 'y': 'z'}, {}, 4),
        (Target(topic='t', version='2.0'), 'nada', {}, None, None),
        (Target(topic='t', namespace='control'), 'ping', {'b': [1, 2.5], 'a': None},
         {'user_id': 'u\u00e9', 'roles': ['admin']}, 0.5),
        (Target(topic='t'), 'big', {'s': 'x' * 300}, {'request_id': 'req-1'}, None),
    ]:
        msg = rpc_client._BaseCallContext._make_message(
            _FakeCallContext(target), ctxt, method, args)
        m = impl_amqp1.marshal_request(msg, ctxt, None, cmt)
        # a cast as the driver sends it: only `to` (set by the controller) and the body
        m.address = 'unicast.openstack.t'
        requests.append({'method': method, 'args': args, 'context': ctxt,
                         'namespace': target.namespace, 'version': target.version,
                         'callMonitorTimeout': cmt, 'body': m.body,
                         'castHex': proton_hex(m)})
    call = impl_amqp1.marshal_request({'method': 'echo', 'args': {'x': 1}}, {}, None, None)
    call.address = 'unicast.openstack.mytopic'
    call.id = '0123456789abcdef0123456789abcdef'
    call.reply_to = 'dyn-f162e95c'
    call.ttl = 60
    call_fixture = {'to': call.address, 'messageId': call.id, 'replyTo': call.reply_to,
                    'ttlMs': 60000, 'body': call.body, 'hex': proton_hex(call)}

    replies = []
    for value in [None, 1, 'text', [1, 2], {'b': 1, 'a': [None, 2.5]}, 'caf\u00e9']:
        r = impl_amqp1.marshal_response(value, None)
        r.correlation_id = '0123456789abcdef0123456789abcdef'
        r.address = 'dyn-f162e95c'
        replies.append({'result': value, 'body': r.body, 'hex': proton_hex(r)})

    hb = impl_amqp1.proton.Message()
    hb.correlation_id = '0123456789abcdef0123456789abcdef'
    hb.ttl = 4
    hb.address = 'dyn-f162e95c'
    heartbeat = {'to': hb.address, 'correlationId': hb.correlation_id, 'ttlMs': 4000,
                 'hex': proton_hex(hb)}

    failures = []

    class MyError(Exception):
        def __init__(self, message, code):
            super(MyError, self).__init__(message, code)
            self.kwargs = {'code': code, 'reason': message}
    MyError.__module__ = 'myservice.exceptions'

    def raise_value_error():
        raise ValueError('bad value', 42)

    def raise_unicode():
        raise KeyError('caf\u00e9 \u2603 \U0001f600')

    def raise_custom():
        raise MyError('custom failure', 7)

    def raise_no_such_method():
        raise rpc_dispatcher.NoSuchMethod('nosuch')

    def raise_remote():
        # a failure that came from another server and is re-raised (cells)
        f = json.loads(serialize(raise_no_such_method))
        raise common.deserialize_remote_exception(json.dumps(f), ['oslo_messaging.rpc.dispatcher'])

    def raise_empty():
        raise RuntimeError()

    def serialize(fn):
        try:
            fn()
        except Exception:
            return common.serialize_remote_exception(sys.exc_info())

    for name, fn in [('ValueError', raise_value_error), ('KeyError unicode', raise_unicode),
                     ('custom class', raise_custom), ('NoSuchMethod', raise_no_such_method),
                     ('re-raised _Remote', raise_remote), ('no message', raise_empty)]:
        try:
            fn()
        except Exception:
            info = sys.exc_info()
            r = impl_amqp1.marshal_response(None, info)
            failure = common.serialize_remote_exception(info)
            failures.append({'name': name, 'raisedClass': type(info[1]).__name__,
                             'raisedModule': type(info[1]).__module__,
                             'failure': failure, 'parsed': json.loads(failure),
                             'body': r.body})
    write('wire/fixtures/rpc.json',
          {'generatedBy': 'spec/unit/fixtures-gen/gen_fixtures.py',
           'requests': requests, 'call': call_fixture, 'replies': replies,
           'heartbeat': heartbeat, 'failures': failures})


# ------------------------------------------------------------ notifications
def notifications():
    cfg.CONF([])
    transport = oslo_messaging.get_notification_transport(cfg.CONF, url='fake://')
    notifier = oslo_messaging.Notifier(transport, publisher_id='compute.host1',
                                       driver='test', topics=['notifications'])
    context = {'auth_token': 'SECRET', 'user_id': 'u1', 'project_id': 'p1',
               'request_id': 'req-1', 'roles': ['admin', 'member'], 'is_admin': True,
               'custom': 'dropped', 'global_request_id': None, 'user': 'u1',
               'domain': None, 'tenant': 'dropped', 'service_roles': [],
               'system_scope': 'all', 'user_name': 'caf\u00e9'}
    cases = []
    for method, payload in [('info', {'instance_id': 'i-1', 'state': 'active'}),
                            ('warn', {'n': 1.5}), ('error', 'text payload'),
                            ('audit', None), ('sample', [1, 2, 3]),
                            ('critical', {'\u00fc': '\U0001f600'}), ('debug', {})]:
        _impl_test.reset()
        getattr(notifier, method)(context, 'compute.instance.%s' % method, payload)
        ctxt, message, priority, _retry = _impl_test.NOTIFICATIONS[-1]
        v1 = impl_amqp1.marshal_request(message, ctxt, envelope=False).body
        v2 = impl_amqp1.marshal_request(message, ctxt, envelope=True).body
        cases.append({'method': method, 'context': context, 'sanitizedContext': ctxt,
                      'message': message, 'priority': priority,
                      'address': Target(topic='notifications.%s' % priority.lower()).topic,
                      'v1': v1, 'v2': v2})
    timestamps = []
    for dt in [datetime.datetime(2026, 11, 25, 6, 40, 5, 786000),
               datetime.datetime(2026, 11, 25, 6, 40, 5, 0),
               datetime.datetime(1999, 1, 2, 3, 4, 5, 1000),
               datetime.datetime(2024, 2, 29, 23, 59, 59, 999000),
               datetime.datetime(987, 6, 5, 4, 3, 2, 100000)]:
        ms = calendar.timegm(dt.timetuple()) * 1000 + dt.microsecond // 1000
        timestamps.append({'epochMs': ms, 'text': str(dt)})
    envelope = common.serialize_msg({'b': 1, 'a': 'caf\u00e9'})
    write('wire/fixtures/notifications.json',
          {'generatedBy': 'spec/unit/fixtures-gen/gen_fixtures.py',
           'cases': cases, 'timestamps': timestamps, 'envelope': envelope})


# ----------------------------------------------------------------- versions
def versions():
    pairs = []
    vs = [None, '1.0', '1.1', '1.2', '1.2.1', '1.2.0', '1.10', '2.0', '2', '0.9', '1.1.1.5', '1.x', '', '10.0']
    for imp in vs:
        for req in vs:
            try:
                result = _utils.version_is_compatible(imp, req)
            except (ValueError, IndexError) as e:
                result = type(e).__name__
            pairs.append([imp, req, result])
    write('wire/fixtures/versions.json',
          {'generatedBy': 'spec/unit/fixtures-gen/gen_fixtures.py', 'pairs': pairs})


addresses()
python_json()
rpc()
notifications()
versions()
