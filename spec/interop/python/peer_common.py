"""What the Python test peers (oslo_peer.py, oslo_notify_peer.py) share: oslo's global
config, JSON lines on stdout, the stop signal and the logging set-up."""

import json
import logging
import signal
import sys
import threading

from oslo_config import cfg

_emit_lock = threading.Lock()


def configure():
    """Initialise oslo's global config (a private ConfigOpts lacks some driver options)."""
    cfg.CONF([], project='oslo-rx-interop')
    # The RPC client starts a metrics thread (even with metrics disabled) that keeps
    # the process alive for metrics_thread_stop_timeout (10 s) after the last call.
    cfg.CONF.set_override('metrics_thread_stop_timeout', 0, group='oslo_messaging_metrics')
    return cfg.CONF


def emit(obj):
    """Writes one JSON line on stdout (thread safe: listener threads print too)."""
    with _emit_lock:
        sys.stdout.write(json.dumps(obj) + '\n')
        sys.stdout.flush()


def stop_event():
    """An Event set on SIGTERM, SIGINT or when stdin closes (the test ended)."""
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())

    def watch_stdin():
        sys.stdin.read()
        stopping.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    return stopping


def run(parse_args, commands, argv):
    """Parses argv, sets quiet logging on stderr and runs the chosen command."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format='%(asctime)s %(levelname)s %(name)s %(message)s')
    return commands[args.command](args)
