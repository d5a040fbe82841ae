#!/usr/bin/python3
"""Python oslo.messaging contender for bench/run.ts (threading executor, Debian's packages).

    /usr/bin/python3 bench/python_peer.py server|client|listener '{"url": ..., "topic": ...}'

Speaks the benchmark's line protocol (bench/worker-protocol.ts): writes {"ready": true}, then
answers each JSON command line from stdin with {"id", "ok", "result"}. CPU figures are
time.process_time() over the window (all threads of this process).
"""
import json
import logging
import sys
import threading
import time

from oslo_config import cfg
import oslo_messaging

PAYLOAD = 'x' * 1024
OUT = threading.Lock()


def write(obj):
    with OUT:
        sys.stdout.write(json.dumps(obj) + '\n')
        sys.stdout.flush()


def percentile(xs, p):
    if not xs:
        return float('nan')
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, int(-(-len(xs) * p // 1)) - 1))]


class Counter(object):
    """What a server or listener handled and the CPU it used since window-start."""

    def __init__(self):
        self.cond = threading.Condition()
        self.start()

    def start(self):
        with self.cond:
            self.handled = 0
            self.cpu = time.process_time()
            self.t0 = time.perf_counter()
            self.last = self.t0

    def count(self):
        with self.cond:
            self.handled += 1
            self.last = time.perf_counter()
            self.cond.notify_all()

    def window(self):
        return {'handled': self.handled, 'cpuMicros': (time.process_time() - self.cpu) * 1e6,
                'seconds': self.last - self.t0}

    def expect(self, n, timeout):
        deadline = time.monotonic() + timeout
        with self.cond:
            while self.handled < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuntimeError('only %d of %d handled' % (self.handled, n))
                self.cond.wait(left)
            return self.window()

    def handle(self, cmd, args):
        if cmd == 'window-start':
            return self.start()
        if cmd == 'window':
            return self.window()
        if cmd == 'expect':
            return self.expect(int(args['n']), args.get('timeoutMs', 120000) / 1000.0)
        raise RuntimeError('no command %s' % cmd)


def closed_loop(count, concurrency, op):
    latencies = []
    lock = threading.Lock()
    remaining = [count]

    def worker():
        while True:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
            t0 = time.perf_counter()
            op()
            t = (time.perf_counter() - t0) * 1000
            with lock:
                latencies.append(t)

    cpu = time.process_time()
    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(min(concurrency, count))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    return {'count': count, 'seconds': seconds, 'perSecond': count / seconds,
            'p50Ms': percentile(latencies, 0.5), 'p99Ms': percentile(latencies, 0.99),
            'cpuMicros': (time.process_time() - cpu) * 1e6}


class Echo(object):
    def __init__(self, counter):
        self.counter = counter

    def echo(self, ctxt, data):
        self.counter.count()
        return data

    def oneway(self, ctxt, data):
        self.counter.count()


class Listener(object):
    def __init__(self, counter):
        self.counter = counter

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        self.counter.count()


def stopper(server, transport):
    """A close for an RPC server or notification listener and its transport."""
    def close():
        server.stop()
        server.wait()
        transport.cleanup()
    return close


def start_role(role, opts):
    url = opts['url']
    topic = opts['topic']
    if role == 'server':
        counter = Counter()
        transport = oslo_messaging.get_rpc_transport(cfg.CONF, url=url)
        server = oslo_messaging.get_rpc_server(
            transport, oslo_messaging.Target(topic=topic, server='s1'), [Echo(counter)], executor='threading')
        server.start()
        return counter.handle, stopper(server, transport)
    if role == 'listener':
        counter = Counter()
        transport = oslo_messaging.get_notification_transport(cfg.CONF, url=url)
        listener = oslo_messaging.get_notification_listener(
            transport, [oslo_messaging.Target(topic=topic)], [Listener(counter)], executor='threading')
        listener.start()
        return counter.handle, stopper(listener, transport)
    if role == 'client':
        transport = oslo_messaging.get_rpc_transport(cfg.CONF, url=url)
        target = oslo_messaging.Target(topic=topic, server='s1')
        client = oslo_messaging.get_rpc_client(transport, target, timeout=60)
        caster = oslo_messaging.get_rpc_client(transport, oslo_messaging.Target(topic=topic), timeout=60)
        ntransport = oslo_messaging.get_notification_transport(cfg.CONF, url=url)
        notifier = oslo_messaging.Notifier(ntransport, publisher_id='bench', driver='messaging',
                                           topics=[opts.get('notifyTopic', topic + '-n')])
        client.call({}, 'echo', data=PAYLOAD)

        def handle(cmd, args):
            count = int(args['count'])
            concurrency = int(args.get('concurrency', 1))
            if cmd == 'rpc':
                return closed_loop(count, concurrency, lambda: client.call({}, 'echo', data=PAYLOAD))
            if cmd == 'cast':
                return closed_loop(count, concurrency, lambda: caster.cast({}, 'oneway', data=PAYLOAD))
            if cmd == 'notify':
                return closed_loop(count, concurrency, lambda: notifier.info({}, 'bench.event', {'data': PAYLOAD}))
            raise RuntimeError('no command %s' % cmd)

        def close():
            transport.cleanup()
            ntransport.cleanup()
        return handle, close
    raise RuntimeError('unknown role %s' % role)


def main():
    role, opts = sys.argv[1], json.loads(sys.argv[2])
    logging.basicConfig(level=logging.ERROR)
    cfg.CONF([])
    # the RPC client's metrics thread would keep the process alive 10 s after the last call
    cfg.CONF.set_override('metrics_thread_stop_timeout', 0, group='oslo_messaging_metrics')
    handle, close = start_role(role, opts)
    write({'ready': True, 'role': 'python-' + role})

    def run(command):
        try:
            result = handle(command['cmd'], command)
            write({'id': command['id'], 'ok': True, 'result': result})
        except Exception as e:  # reported to the parent, which fails the run
            write({'id': command['id'], 'ok': False, 'error': '%s: %s' % (type(e).__name__, e)})

    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line)
        if command['cmd'] == 'exit':
            write({'id': command['id'], 'ok': True, 'result': None})
            break
        threading.Thread(target=run, args=(command,), daemon=True).start()
    try:
        close()
    except Exception:
        pass
    sys.stdout.flush()
    import os
    os._exit(0)


if __name__ == '__main__':
    main()
