#!/usr/bin/python3
"""Python oslo.messaging reference for bench/run.ts: an RPC server and a client through one
intermediary, calls/s at the given concurrency (threads). Prints one JSON line per level.

    /usr/bin/python3 bench/python_rpc.py --url amqp://127.0.0.1:27680 --calls 1000 --concurrency 1 10
"""
import argparse
import json
import logging
import threading
import time
import uuid

from oslo_config import cfg
import oslo_messaging


class Endpoint(object):
    def add(self, ctxt, a):
        return a + 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--url', required=True)
    parser.add_argument('--calls', type=int, default=1000)
    parser.add_argument('--concurrency', type=int, nargs='+', default=[1, 10])
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    cfg.CONF([])
    # the RPC client's metrics thread would keep the process alive 10 s after the last call
    cfg.CONF.set_override('metrics_thread_stop_timeout', 0, group='oslo_messaging_metrics')
    transport = oslo_messaging.get_rpc_transport(cfg.CONF, url=args.url)
    topic = 'bench-py-%s' % uuid.uuid4().hex[:8]
    server = oslo_messaging.get_rpc_server(
        transport, oslo_messaging.Target(topic=topic, server='s1'), [Endpoint()], executor='threading')
    server.start()
    client = oslo_messaging.get_rpc_client(transport, oslo_messaging.Target(topic=topic, server='s1'), timeout=30)
    client.call({}, 'add', a=1)
    for concurrency in args.concurrency:
        latencies = []
        lock = threading.Lock()
        remaining = [args.calls]

        def worker():
            while True:
                with lock:
                    if remaining[0] == 0:
                        return
                    remaining[0] -= 1
                t0 = time.perf_counter()
                client.call({}, 'add', a=1)
                with lock:
                    latencies.append((time.perf_counter() - t0) * 1000)

        start = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - start
        latencies.sort()
        print(json.dumps({
            'name': 'Python oslo.messaging call', 'concurrency': concurrency,
            'perSecond': args.calls / seconds,
            'p50Ms': latencies[len(latencies) // 2],
            'p99Ms': latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        }), flush=True)
    server.stop()
    server.wait()
    transport.cleanup()


if __name__ == '__main__':
    main()
