#!/usr/bin/python3
"""A real Python oslo.messaging 14.0.3 peer for oslo-rx's RPC interop tests.

Run with Debian's /usr/bin/python3 (python3-oslo.messaging, python3-pyngus,
python3-qpid-proton). Two commands:

  rpc-server --url U --topic T --server S [--exchange E]
      Serves the endpoints below with executor='threading'. Prints one JSON
      line {"ready": true, ...} on stdout once server.start() returned and a
      call to itself was answered (its links are attached), then runs until
      stdin closes or SIGTERM/SIGINT, and stops cleanly.

  rpc-client --url U --topic T [--server S] [--fanout] [--timeout N]
             [--namespace NS] [--version V] [--cmt N] [--exchange E]
             --method M --args JSON [--context JSON] [--cast]
      Makes ONE call (or cast) and prints one JSON line: {"result": ...} or
      {"error": {"type", "module", "str"[, "exc_type", "value"]}}; a call's
      result comes with "types": the Python type names of the result (and of
      its items when it is a dict or a list). Exits 0
      either way (2 on bad arguments).

Logging (oslo's included) goes to stderr at WARNING.
"""

import argparse
import json
import sys
import threading
import time

import oslo_messaging

from peer_common import configure, emit, run, stop_event

READY_CALL_TIMEOUT = 5
READY_ATTEMPTS = 6


class Endpoint(object):
    """The default endpoint (no namespace, version 1.0)."""

    def __init__(self, server):
        self.server = server
        self.casts = []
        self.lock = threading.Lock()

    def echo(self, ctxt, **kw):
        return kw

    def add(self, ctxt, a, b):
        return a + b

    def whoami(self, ctxt):
        return self.server

    def raise_value_error(self, ctxt, msg):
        raise ValueError(msg)

    def context(self, ctxt):
        return ctxt

    def slow(self, ctxt, seconds):
        time.sleep(seconds)
        return 'slept %s' % seconds

    def record(self, ctxt, value):
        with self.lock:
            self.casts.append(value)

    def recorded(self, ctxt):
        with self.lock:
            return list(self.casts)


class NamespacedEndpoint(object):
    """An endpoint in namespace ns1 implementing version 2.3."""

    target = oslo_messaging.Target(namespace='ns1', version='2.3')

    def ns_version(self, ctxt):
        return 'ns1-2.3'


def transport_for(url):
    return oslo_messaging.get_rpc_transport(configure(), url=url)




def wait_until_ready(transport, target, server):
    """Calls whoami on this server until it answers (its links are attached)."""
    client = oslo_messaging.get_rpc_client(transport, target, timeout=READY_CALL_TIMEOUT)
    client = client.prepare(server=server)
    last = None
    for _ in range(READY_ATTEMPTS):
        try:
            if client.call({}, 'whoami') == server:
                return None
        except oslo_messaging.MessagingTimeout as e:
            last = e
    return last


def run_server(args):
    transport = transport_for(args.url)
    target = oslo_messaging.Target(topic=args.topic, server=args.server, exchange=args.exchange)
    server = oslo_messaging.get_rpc_server(
        transport, target, [Endpoint(args.server), NamespacedEndpoint()],
        executor='threading',
        access_policy=oslo_messaging.DefaultRPCAccessPolicy)

    stopping = stop_event()

    server.start()
    failure = wait_until_ready(
        transport, oslo_messaging.Target(topic=args.topic, exchange=args.exchange), args.server)
    if failure is None:
        emit({'ready': True, 'server': args.server, 'topic': args.topic})
        while not stopping.wait(0.2):
            pass
    else:
        print('oslo_peer: server %s never answered itself: %s' % (args.server, failure),
              file=sys.stderr)
    server.stop()
    server.wait()
    transport.cleanup()
    return 0 if failure is None else 1


def python_types(value):
    """The Python type name of value, and of each item of a dict or list."""
    if isinstance(value, dict):
        return {'type': 'dict', 'items': {k: type(v).__name__ for k, v in value.items()}}
    if isinstance(value, list):
        return {'type': 'list', 'items': [type(v).__name__ for v in value]}
    return {'type': type(value).__name__}


def describe_error(e):
    error = {'type': type(e).__name__, 'module': type(e).__module__, 'str': str(e)}
    if isinstance(e, oslo_messaging.RemoteError):
        error['exc_type'] = e.exc_type
        error['value'] = e.value
    return error


def run_client(args):
    try:
        call_args = json.loads(args.args)
        context = json.loads(args.context)
    except ValueError as e:
        print('oslo_peer: bad JSON: %s' % e, file=sys.stderr)
        return 2
    transport = transport_for(args.url)
    target = oslo_messaging.Target(
        topic=args.topic, server=args.server, fanout=args.fanout or None,
        namespace=args.namespace, version=args.version, exchange=args.exchange)
    client = oslo_messaging.get_rpc_client(transport, target, timeout=args.timeout)
    if args.cmt is not None:
        client = client.prepare(call_monitor_timeout=args.cmt)
    try:
        if args.cast:
            client.cast(context, args.method, **call_args)
            # A cast is pre-settled: it counts as sent once handed to proton, and a process
            # that exits right away may not have written it yet. One call on the same
            # connection afterwards proves the cast left: the intermediary reads frames in
            # order. Any answer will do (a missing method answers NoSuchMethod).
            try:
                client.prepare(fanout=None, server=None, namespace=None, version=None,
                               timeout=args.timeout).call(context, '_flush')
            except Exception:
                pass
            emit({'result': None})
        else:
            result = client.call(context, args.method, **call_args)
            emit({'result': result, 'types': python_types(result)})
    except Exception as e:
        emit({'error': describe_error(e)})
    finally:
        transport.cleanup()
    return 0


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest='command', required=True)

    server = commands.add_parser('rpc-server', help='serve the test endpoints')
    server.add_argument('--url', required=True)
    server.add_argument('--topic', required=True)
    server.add_argument('--server', required=True)
    server.add_argument('--exchange')

    client = commands.add_parser('rpc-client', help='make one call or cast')
    client.add_argument('--url', required=True)
    client.add_argument('--topic', required=True)
    client.add_argument('--server')
    client.add_argument('--exchange')
    client.add_argument('--fanout', action='store_true')
    client.add_argument('--timeout', type=float, default=10)
    client.add_argument('--namespace')
    client.add_argument('--version')
    client.add_argument('--cmt', type=float, help='call monitor timeout (s)')
    client.add_argument('--method', required=True)
    client.add_argument('--args', default='{}')
    client.add_argument('--context', default='{}')
    client.add_argument('--cast', action='store_true')
    return parser.parse_args(argv)


def main(argv):
    return run(parse_args, {'rpc-server': run_server, 'rpc-client': run_client}, argv)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
