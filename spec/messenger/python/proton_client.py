"""A third-party AMQP 1.0 peer for the messenger specs: Qpid Proton's Python client
(python3-qpid-proton, proton.utils.BlockingConnection), no oslo-rx code.

  send    --url URL --node NODE --messages JSON [--anonymous]
          sends each {"body", "subject"} and prints one line per message with the
          outcome the receiving end gave: {"state": "ACCEPTED", "condition": ...}
  receive --url URL --node NODE --count N
          prints {"body", "to", "subject"} for each of N messages (accepting each)

Every wait is bounded by --timeout seconds; a last line {"done": true} ends the output.
"""

import argparse
import json
import sys

from proton import Delivery, Message
from proton.utils import BlockingConnection

STATES = {Delivery.ACCEPTED: 'ACCEPTED', Delivery.REJECTED: 'REJECTED',
          Delivery.RELEASED: 'RELEASED', Delivery.MODIFIED: 'MODIFIED'}


def emit(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


def send(args):
    conn = BlockingConnection(args.url, timeout=args.timeout)
    try:
        # with --anonymous: an anonymous-relay link, each message naming its node in `address` (to)
        sender = conn.create_sender(None if args.anonymous else args.node)
        for spec in json.loads(args.messages):
            msg = Message(body=spec.get('body'), subject=spec.get('subject'))
            if args.anonymous:
                msg.address = args.node
            delivery = sender.send(msg, error_states=[])
            line = {'state': STATES.get(delivery.remote_state, str(delivery.remote_state))}
            condition = delivery.remote.condition
            if condition is not None:
                line['condition'] = condition.name
                line['description'] = condition.description
            emit(line)
    finally:
        conn.close()
    emit({'done': True})


def receive(args):
    conn = BlockingConnection(args.url, timeout=args.timeout)
    try:
        receiver = conn.create_receiver(args.node, credit=args.count)
        for _ in range(args.count):
            msg = receiver.receive(timeout=args.timeout)
            emit({'body': msg.body, 'to': msg.address, 'subject': msg.subject})
            receiver.accept()
    finally:
        conn.close()
    emit({'done': True})


def main(argv):
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest='command', required=True)
    for name in ('send', 'receive'):
        p = sub.add_parser(name)
        p.add_argument('--url', required=True)
        p.add_argument('--node', required=True)
        p.add_argument('--timeout', type=float, default=10)
        if name == 'send':
            p.add_argument('--messages', required=True)
            p.add_argument('--anonymous', action='store_true')
        else:
            p.add_argument('--count', type=int, default=1)
    args = parser.parse_args(argv)
    {'send': send, 'receive': receive}[args.command](args)


if __name__ == '__main__':
    main(sys.argv[1:])
