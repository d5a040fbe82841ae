#!/usr/bin/python3
"""A real Python oslo.messaging 14.0.3 notification peer for oslo-rx's interop tests.

Run with Debian's /usr/bin/python3 (python3-oslo.messaging, python3-pyngus,
python3-qpid-proton). Two commands:

  notify --url U --topic T --publisher P --priority info[,warn,...] --event E
         --payload JSON [--context JSON] [--driver messagingv2|messaging]
         [--count N]
      Sends N notifications of each listed priority (any Notifier method
      name: audit, debug, info, warn, warning, error, critical, sample) with
      a Python Notifier, then prints one JSON line {"sent": S, "failed": F}.
      oslo's Notifier logs send failures and swallows them; F counts those
      logged failures and S the notifications that did not fail.

  listen --url U --topic T [--batch-size N --batch-timeout S] [--requeue-first]
      Runs get_notification_listener (executor='threading', allow_requeue=True),
      or get_batch_notification_listener when --batch-size is given, with an
      endpoint that has one method per priority. Prints {"ready": true} once
      listener.start() returned (its links may still be attaching: send probes
      until one arrives), then one JSON line per notification
      {"priority", "publisher_id", "event_type", "payload", "metadata", "ctxt"}
      (batch listener: one line per call {"priority", "batch": [...]}).
      --requeue-first returns NotificationResult.REQUEUE for the first
      notification that is not a probe (publisher_id "probe"; probes are always
      handled), whose line then carries "requeued": true. Runs until stdin
      closes or SIGTERM/SIGINT, then stops the listener cleanly.

Logging (oslo's included) goes to stderr at WARNING.
"""

import argparse
import json
import logging
import sys
import threading

import oslo_messaging

from peer_common import configure, emit, run, stop_event

PROBE_PUBLISHER = 'probe'
PRIORITIES = ('audit', 'debug', 'info', 'warn', 'error', 'critical', 'sample')





def transport_for(url):
    return oslo_messaging.get_notification_transport(configure(), url=url)


class FailureCounter(logging.Handler):
    """Counts the ERROR records oslo logs when a notification cannot be sent."""

    def __init__(self):
        super(FailureCounter, self).__init__(level=logging.ERROR)
        self.count = 0

    def emit(self, record):
        self.count += 1


def run_notify(args):
    try:
        payload = json.loads(args.payload)
        context = json.loads(args.context)
    except ValueError as e:
        print('oslo_notify_peer: bad JSON: %s' % e, file=sys.stderr)
        return 2
    priorities = [p for p in args.priority.split(',') if p]
    transport = transport_for(args.url)
    failures = FailureCounter()
    for name in ('oslo_messaging.notify.messaging', 'oslo_messaging.notify.notifier'):
        logging.getLogger(name).addHandler(failures)
    notifier = oslo_messaging.Notifier(
        transport, publisher_id=args.publisher, driver=args.driver, topics=[args.topic])
    attempted = 0
    try:
        for priority in priorities:
            send = getattr(notifier, priority)
            for _ in range(args.count):
                send(dict(context), args.event, payload)
                attempted += 1
    finally:
        transport.cleanup()
    emit({'sent': attempted - failures.count, 'failed': failures.count})
    return 0


class Endpoint(object):
    """One method per priority; prints what each call received."""

    def __init__(self, requeue_first):
        self.requeue_pending = requeue_first
        self.lock = threading.Lock()

    def take_requeue(self, publisher_id):
        """True once: for the first non-probe notification when --requeue-first."""
        if publisher_id == PROBE_PUBLISHER:
            return False
        with self.lock:
            take, self.requeue_pending = self.requeue_pending, False
        return take

    def received(self, priority, ctxt, publisher_id, event_type, payload, metadata):
        line = {'priority': priority, 'publisher_id': publisher_id, 'event_type': event_type,
                'payload': payload, 'metadata': metadata, 'ctxt': ctxt}
        if self.take_requeue(publisher_id):
            line['requeued'] = True
            emit(line)
            return oslo_messaging.NotificationResult.REQUEUE
        emit(line)
        return oslo_messaging.NotificationResult.HANDLED


class BatchEndpoint(Endpoint):
    """One method per priority, each taking a list of notifications."""

    def received_batch(self, priority, messages):
        requeue = any(self.take_requeue(m['publisher_id']) for m in messages)
        line = {'priority': priority, 'batch': [
            {'priority': priority, 'publisher_id': m['publisher_id'], 'event_type': m['event_type'],
             'payload': m['payload'], 'metadata': m['metadata'], 'ctxt': m['ctxt']}
            for m in messages]}
        if requeue:
            line['requeued'] = True
        emit(line)
        if requeue:
            return oslo_messaging.NotificationResult.REQUEUE
        return oslo_messaging.NotificationResult.HANDLED


def _single(priority):
    def method(self, ctxt, publisher_id, event_type, payload, metadata):
        return self.received(priority, ctxt, publisher_id, event_type, payload, metadata)
    method.__name__ = priority
    return method


def _batch(priority):
    def method(self, messages):
        return self.received_batch(priority, messages)
    method.__name__ = priority
    return method


for _priority in PRIORITIES:
    setattr(Endpoint, _priority, _single(_priority))
    setattr(BatchEndpoint, _priority, _batch(_priority))


def run_listen(args):
    transport = transport_for(args.url)
    targets = [oslo_messaging.Target(topic=args.topic)]
    if args.batch_size:
        listener = oslo_messaging.get_batch_notification_listener(
            transport, targets, [BatchEndpoint(args.requeue_first)], executor='threading',
            allow_requeue=True, batch_size=args.batch_size, batch_timeout=args.batch_timeout)
    else:
        listener = oslo_messaging.get_notification_listener(
            transport, targets, [Endpoint(args.requeue_first)], executor='threading',
            allow_requeue=True)

    stopping = stop_event()

    listener.start()
    emit({'ready': True, 'topic': args.topic})
    while not stopping.wait(0.2):
        pass
    listener.stop()
    listener.wait()
    transport.cleanup()
    return 0


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest='command', required=True)

    notify = commands.add_parser('notify', help='send notifications')
    notify.add_argument('--url', required=True)
    notify.add_argument('--topic', required=True)
    notify.add_argument('--publisher', required=True)
    notify.add_argument('--priority', required=True, help='comma-separated Notifier method names')
    notify.add_argument('--event', required=True)
    notify.add_argument('--payload', required=True)
    notify.add_argument('--context', default='{}')
    notify.add_argument('--driver', choices=('messagingv2', 'messaging'), default='messagingv2')
    notify.add_argument('--count', type=int, default=1)

    listen = commands.add_parser('listen', help='print the notifications received')
    listen.add_argument('--url', required=True)
    listen.add_argument('--topic', required=True)
    listen.add_argument('--batch-size', type=int)
    listen.add_argument('--batch-timeout', type=float, default=1)
    listen.add_argument('--requeue-first', action='store_true')
    return parser.parse_args(argv)


def main(argv):
    return run(parse_args, {'notify': run_notify, 'listen': run_listen}, argv)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
