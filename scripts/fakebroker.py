#!/usr/bin/python3
"""Run oslo.messaging's test intermediary (FakeBroker) as a standalone process.

FakeBroker is the AMQP 1.0 peer that oslo.messaging's own AMQP 1.0 driver tests
use (oslo_messaging/tests/drivers/test_amqp_driver.py, Debian package
python3-oslo.messaging 14.0.3). It parses oslo addresses itself, so it routes
RPC and notification traffic by the message's ``to`` address with real fanout.

Two personalities:
  broker  no ``product`` in the Open frame, legacy addressing
  router  product='qpid-dispatch-router', routable addressing

Usage (Debian's python, not a pyenv one):
  /usr/bin/python3 scripts/fakebroker.py --port 27690 --mode broker
  /usr/bin/python3 scripts/fakebroker.py --port 27691 --mode router

--user/--password (SASL PLAIN) need a qpid-proton built with Cyrus SASL, which
Debian 12's is not; there the launcher refuses them.

Prints one line ``fakebroker ready: ...`` once it accepts connections, then runs
until SIGTERM or SIGINT.
"""

import argparse
import collections
import logging
import os
import signal
import socket
import sys
import threading
from unittest import mock

import proton
from oslo_config import cfg
from oslo_messaging._drivers.amqp1_driver import opts as amqp1_opts
from oslo_messaging.tests.drivers import test_amqp_driver

PERSONALITIES = {
    'broker': {'product': None, 'addressing_mode': 'legacy'},
    'router': {'product': 'qpid-dispatch-router', 'addressing_mode': 'routable'},
}

# FakeBroker keeps every message it forwards in message_log; a long test run
# must not grow without bound.
MESSAGE_LOG_LIMIT = 1000


class _ReusableSocket(socket.socket):
    """A listening socket that may rebind a port still in TIME_WAIT after a restart."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, required=True)
    parser.add_argument('--mode', choices=sorted(PERSONALITIES), default='broker')
    parser.add_argument('--user', help='require SASL PLAIN with this user name (Cyrus SASL builds only)')
    parser.add_argument('--password', default='', help='password for --user')
    parser.add_argument('--exchange', default='openstack', help='default exchange of the addresser')
    parser.add_argument('--debug', action='store_true', help='log FakeBroker debug output')
    return parser.parse_args(argv)


def amqp_options(addressing_mode):
    """A private option group [oslo_messaging_amqp] configured for FakeBroker's addresser."""
    conf = cfg.ConfigOpts()
    conf.register_opts(amqp1_opts.amqp1_opts, group='oslo_messaging_amqp')
    conf([], project='oslo-rx-fakebroker')
    conf.set_override('addressing_mode', addressing_mode, group='oslo_messaging_amqp')
    return conf.oslo_messaging_amqp


def sasl_settings(user, password):
    """FakeBroker's SASL arguments: ANONYMOUS, or PLAIN with one user.

    A server-side PLAIN needs a proton built with Cyrus SASL; Debian 12's is not
    (its built-in SASL serves only ANONYMOUS and EXTERNAL), so refuse early there.
    """
    if not user:
        return {'sasl_mechanisms': 'ANONYMOUS', 'user_credentials': None}
    if not proton.SASL.extended():
        raise SystemExit('fakebroker: --user needs a qpid-proton built with Cyrus SASL; '
                         'this one offers no server-side PLAIN')
    plain = '\0%s\0%s' % (user, password)
    # proton hands the PLAIN response over as bytes or str depending on its build
    return {'sasl_mechanisms': 'PLAIN', 'user_credentials': [plain, plain.encode('utf-8')]}


def main(argv):
    args = parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING,
                        format='%(asctime)s %(levelname)s %(name)s %(message)s')
    personality = PERSONALITIES[args.mode]
    with mock.patch.object(test_amqp_driver.socket, 'socket', _ReusableSocket):
        broker = test_amqp_driver.FakeBroker(
            amqp_options(personality['addressing_mode']),
            sock_addr=args.host,
            sock_port=args.port,
            product=personality['product'],
            default_exchange=args.exchange,
            **sasl_settings(args.user, args.password))
    broker.message_log = collections.deque(maxlen=MESSAGE_LOG_LIMIT)

    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())

    broker.start()
    print('fakebroker ready: mode=%s product=%s addressing=%s sasl=%s listening on %s:%d pid=%d'
          % (args.mode, personality['product'], personality['addressing_mode'],
             'PLAIN' if args.user else 'ANONYMOUS', broker.host, broker.port, os.getpid()),
          flush=True)
    while not stopping.wait(0.2):
        if not broker.is_alive():
            print('fakebroker: broker thread ended unexpectedly', file=sys.stderr, flush=True)
            return 1
    broker.stop()
    print('fakebroker stopped', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
