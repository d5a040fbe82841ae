"""A small AMQP 1.0 TLS endpoint on Qpid Proton (Debian's python3-qpid-proton), for oslo-rx's TLS tests.

Each --listener opens one TLS port with its own certificate and client-certificate policy,
served as a tiny broker: every address is an in-memory queue (messages are accepted and
handed to the address's receivers in turn).

  --listener port=N,cert=FILE,key=FILE[,ca=FILE][,mechs="ANONYMOUS EXTERNAL"]

With ca, clients must present a certificate it signed (mutual TLS); mechs restricts the
SASL mechanisms offered (Proton's built-in SASL: ANONYMOUS and EXTERNAL). Binds 127.0.0.1
only, prints "listening on PORT" per listener, runs until SIGTERM.
"""
import argparse
import collections
import signal
import sys

from proton import SSLDomain
from proton.handlers import MessagingHandler
from proton.reactor import Container


class Listener(MessagingHandler):
    """One TLS port: its SSL domain and SASL policy, and a queue per address."""

    def __init__(self, spec):
        super().__init__(auto_accept=True)
        self.spec = spec
        self.queues = collections.defaultdict(collections.deque)
        self.consumers = collections.defaultdict(list)

    def domain(self):
        d = SSLDomain(SSLDomain.MODE_SERVER)
        d.set_credentials(self.spec['cert'], self.spec['key'], None)
        if self.spec.get('ca'):
            d.set_trusted_ca_db(self.spec['ca'])
            d.set_peer_authentication(SSLDomain.VERIFY_PEER, self.spec['ca'])
        else:
            d.set_peer_authentication(SSLDomain.ANONYMOUS_PEER)
        return d

    def on_connection_bound(self, event):
        sasl = event.transport.sasl()
        sasl.allowed_mechs(self.spec.get('mechs', 'ANONYMOUS EXTERNAL'))
        # clients that send no SASL header are let in unless a mechanism is required
        event.transport.require_auth('ANONYMOUS' not in self.spec.get('mechs', 'ANONYMOUS'))

    def on_link_opening(self, event):
        link = event.link
        if link.is_sender:
            address = link.remote_source.address or 'unnamed'
            link.source.address = address
            self.consumers[address].append(link)
        else:
            link.target.address = link.remote_target.address

    def _forget(self, link):
        for links in self.consumers.values():
            if link in links:
                links.remove(link)

    def on_link_closing(self, event):
        self._forget(event.link)

    def on_disconnected(self, event):
        for links in self.consumers.values():
            links[:] = [l for l in links if l.connection != event.connection]

    def on_message(self, event):
        address = event.link.target.address or event.message.address or 'unnamed'
        self.queues[address].append(event.message)
        self._dispatch(address)

    def on_sendable(self, event):
        self._dispatch(event.link.source.address)

    def _dispatch(self, address):
        queue = self.queues[address]
        for link in list(self.consumers[address]):
            while queue and link.credit > 0:
                link.send(queue.popleft())


def parse(text):
    spec = dict(part.split('=', 1) for part in text.split(','))
    spec['port'] = int(spec['port'])
    return spec


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--listener', action='append', type=parse, required=True)
    args = parser.parse_args()
    handlers = [Listener(spec) for spec in args.listener]
    container = Container()
    for handler in handlers:
        acceptor = container.acceptor('127.0.0.1', handler.spec['port'], handler)
        acceptor.set_ssl_domain(handler.domain())
        print('listening on %d' % handler.spec['port'], flush=True)
    signal.signal(signal.SIGTERM, lambda *_: container.stop())
    container.run()


if __name__ == '__main__':
    sys.exit(main())
