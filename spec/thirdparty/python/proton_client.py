"""A third-party AMQP 1.0 client for the tests: Debian's Qpid Proton (python3-qpid-proton),
event-driven, with Proton's default link names, one connection per role, reconnect off.

Commands (each prints one JSON line on stdout, then exits; exit status 0 when "ok"):

  round-trip    --url URL --address ADDR --count N
      One connection, Proton's default session: a sender to ADDR and a receiver from ADDR
      (both named "<container>-ADDR" by Proton). Sends N messages unsettled, receives N,
      accepts each. Prints sent, accepted (outcomes seen by the sender), received, settled
      and whether the bodies came back complete and in order.

  request-reply --url URL --address ADDR --count N
      A responder connection receives requests from ADDR and answers each to its reply_to
      (one sender per reply address, correlation_id = the request's message id). A requester
      connection attaches a receiver with a dynamic source, takes the address the
      intermediary assigns, and sends N requests with reply_to = that address. Prints the
      reply address, the replies that matched their request, and the outcomes.

Any link or connection error, or the deadline (--timeout seconds), ends the run with
{"ok": false, "error": ...} naming the AMQP condition.
"""

import argparse
import json
import sys

from proton import Message
from proton.handlers import MessagingHandler
from proton.reactor import Container


def emit(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


def same(a, b):
    """Whether two links are one: Proton's Python wrappers are not kept, so compare name and role."""
    return a is not None and b is not None and a.name == b.name and a.is_receiver == b.is_receiver


def condition_of(endpoint):
    cond = endpoint.remote_condition if endpoint is not None else None
    if cond is None:
        return None
    return {'condition': cond.name, 'description': cond.description}


class Run(MessagingHandler):
    """What both commands share: the deadline, error reporting, the result line."""

    def __init__(self, args):
        super(Run, self).__init__(prefetch=0, auto_accept=False, auto_settle=True)
        self.args = args
        self.result = {'ok': False}
        self.finished = False
        self.connections = []

    def connect(self, container):
        conn = container.connect(self.args.url, reconnect=False)
        self.connections.append(conn)
        return conn

    def on_start(self, event):
        event.container.schedule(self.args.timeout, self)
        self.begin(event.container)

    def on_timer_task(self, event):
        self.fail('timed out after %s s' % self.args.timeout, **self.progress())

    def finish(self, **fields):
        if self.finished:
            return
        self.finished = True
        self.result = dict(fields)
        for conn in self.connections:
            conn.close()
        # stops the reactor (the pending deadline timer included) once the closes are written
        self.container_ref.stop()

    def fail(self, error, **fields):
        fields.update({'ok': False, 'error': error})
        self.finish(**fields)

    def progress(self):
        return {}

    def on_connection_error(self, event):
        self.fail('connection closed by the intermediary', remote=condition_of(event.connection), **self.progress())

    def on_link_error(self, event):
        self.fail('link detached by the intermediary', link=event.link.name, remote=condition_of(event.link), **self.progress())

    def on_session_error(self, event):
        self.fail('session ended by the intermediary', remote=condition_of(event.session), **self.progress())

    def on_transport_error(self, event):
        if not self.finished:
            self.fail('transport error', remote=condition_of(event.transport), **self.progress())

    def on_disconnected(self, event):
        if not self.finished:
            self.fail('disconnected', **self.progress())


class RoundTrip(Run):
    """Send N to a queue and receive N from it on one connection, default link names."""

    def __init__(self, args):
        super(RoundTrip, self).__init__(args)
        self.sent = 0
        self.outcomes = {'accepted': 0, 'rejected': 0, 'released': 0}
        self.bodies = []
        self.link_names = {}

    def begin(self, container):
        conn = self.connect(container)
        self.receiver = container.create_receiver(conn, self.args.address)
        self.sender = container.create_sender(conn, self.args.address)
        self.link_names = {'sender': self.sender.name, 'receiver': self.receiver.name}

    def progress(self):
        return {'sent': self.sent, 'outcomes': self.outcomes, 'received': len(self.bodies), 'linkNames': self.link_names}

    def on_link_opened(self, event):
        if same(event.link, self.receiver):
            event.link.flow(self.args.count)

    def on_sendable(self, event):
        while event.sender.credit > 0 and self.sent < self.args.count:
            event.sender.send(Message(id='m-%d' % self.sent, body='message %d' % self.sent))
            self.sent += 1

    def on_message(self, event):
        self.bodies.append(event.message.body)
        self.accept(event.delivery)
        self.check()

    def on_accepted(self, event):
        self.outcomes['accepted'] += 1
        self.check()

    def on_rejected(self, event):
        self.outcomes['rejected'] += 1
        self.fail('a message was rejected', remote=condition_of(event.delivery), **self.progress())

    def on_released(self, event):
        self.outcomes['released'] += 1
        self.fail('a message was released', **self.progress())

    def check(self):
        n = self.args.count
        if len(self.bodies) == n and self.outcomes['accepted'] == n:
            expected = ['message %d' % i for i in range(n)]
            fields = self.progress()
            fields.update({'ok': self.bodies == expected, 'inOrder': self.bodies == expected})
            self.finish(**fields)


class RequestReply(Run):
    """A responder on ADDR answering to reply_to; a requester with a dynamic reply node."""

    def __init__(self, args):
        super(RequestReply, self).__init__(args)
        self.reply_address = None
        self.sent = 0
        self.answered = 0
        self.replies = {}
        self.unmatched = 0
        self.reply_senders = {}
        self.outcomes = {'accepted': 0, 'rejected': 0, 'released': 0}

    def begin(self, container):
        self.container = container
        self.responder_conn = self.connect(container)
        self.service = container.create_receiver(self.responder_conn, self.args.address)

    def progress(self):
        return {'replyAddress': self.reply_address, 'sent': self.sent, 'answered': self.answered,
                'replies': len(self.replies), 'unmatched': self.unmatched, 'outcomes': self.outcomes}

    def on_link_opened(self, event):
        if same(event.link, self.service):
            event.link.flow(self.args.count)
            # the requester starts only once the responder is attached (a router stores nothing)
            self.requester_conn = self.connect(self.container)
            self.replies_in = self.container.create_receiver(self.requester_conn, None, dynamic=True)
        elif same(event.link, getattr(self, 'replies_in', None)):
            self.reply_address = event.link.remote_source.address
            if not self.reply_address:
                self.fail('the intermediary assigned no address to the dynamic source')
                return
            event.link.flow(self.args.count)
            self.requests = self.container.create_sender(self.requester_conn, self.args.address)

    def on_sendable(self, event):
        if not same(event.sender, getattr(self, 'requests', None)):
            return
        while event.sender.credit > 0 and self.sent < self.args.count:
            event.sender.send(Message(id='req-%d' % self.sent, reply_to=self.reply_address,
                                      body={'n': self.sent}))
            self.sent += 1

    def on_message(self, event):
        if same(event.receiver, self.service):
            request = event.message
            sender = self.reply_senders.get(request.reply_to)
            if sender is None:
                sender = self.container.create_sender(self.responder_conn, request.reply_to)
                self.reply_senders[request.reply_to] = sender
            sender.send(Message(correlation_id=request.id, body={'n': request.body['n'], 'answer': request.body['n'] * 2}))
            self.answered += 1
            self.accept(event.delivery)
        else:
            reply = event.message
            cid = reply.correlation_id
            if isinstance(cid, str) and cid == 'req-%s' % reply.body.get('n') and reply.body.get('answer') == 2 * reply.body['n']:
                self.replies[cid] = reply.body
            else:
                self.unmatched += 1
            self.accept(event.delivery)
            self.check()

    def on_accepted(self, event):
        if same(event.link, getattr(self, 'requests', None)):
            self.outcomes['accepted'] += 1
            self.check()

    def on_rejected(self, event):
        self.outcomes['rejected'] += 1
        self.fail('a message was rejected', remote=condition_of(event.delivery), **self.progress())

    def on_released(self, event):
        self.outcomes['released'] += 1
        self.fail('a message was released', **self.progress())

    def check(self):
        n = self.args.count
        if len(self.replies) == n and self.outcomes['accepted'] == n:
            fields = self.progress()
            fields['ok'] = self.unmatched == 0
            self.finish(**fields)


COMMANDS = {'round-trip': RoundTrip, 'request-reply': RequestReply}


def parse(argv):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('command', choices=sorted(COMMANDS))
    p.add_argument('--url', required=True)
    p.add_argument('--address', required=True)
    p.add_argument('--count', type=int, default=10)
    p.add_argument('--timeout', type=float, default=15.0)
    return p.parse_args(argv)


def main(argv):
    args = parse(argv)
    handler = COMMANDS[args.command](args)
    container = Container(handler)
    container.container_id = 'oslo-rx-thirdparty'
    handler.container_ref = container
    container.run()
    emit(handler.result)
    return 0 if handler.result.get('ok') else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
