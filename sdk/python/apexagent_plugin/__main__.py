"""Bootstrap of a Python plugin child: ``python -m apexagent_plugin <main_module.py> [ClassName]``.

Applies the OS limits the host passes in the environment (``APEX_LIMIT_AS_MB``, ``APEX_LIMIT_CPU_SECONDS``),
loads the plugin class, then serves the protocol: the main thread reads stdin (and answers pings, so a busy
action never looks like a hang, and hands the host's replies to the calls waiting for them), actions and
event handlers run on a thread pool. End of stdin ends the process, and so does the host's end (the parent
process changes) even when plugin code stopped stdin from being read: a child never outlives its host.
"""

import importlib.util
import logging
import os
import sys
import json
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

from . import PROTOCOL_VERSION, ActionError, Context, Plugin, _Writer




def _apply_limits():
    try:
        import resource
    except ImportError:  # not a POSIX system
        logging.warning("resource module unavailable: no OS limits applied")
        return
    memory_mb = int(os.environ.get("APEX_LIMIT_AS_MB", "0") or 0)
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu = int(os.environ.get("APEX_LIMIT_CPU_SECONDS", "0") or 0)
    if cpu > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))


def _exit_with_parent():
    """Exits when the host is gone even if stdin never ends (plugin code that stopped reading it)."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        logging.error("the host (process %d) is gone: exiting", parent)
        os._exit(0)

    threading.Thread(target=watch, name="apex-parent-watch", daemon=True).start()


def _load(path, class_name):
    spec = importlib.util.spec_from_file_location("apex_plugin_main", path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    spec.loader.exec_module(module)
    if class_name:
        return getattr(module, class_name.rsplit(".", 1)[-1])
    candidates = [c for c in vars(module).values()
                  if isinstance(c, type) and issubclass(c, Plugin) and c is not Plugin]
    if len(candidates) != 1:
        raise SystemExit("ERROR %s defines %d Plugin subclasses; name one in class_name" % (path, len(candidates)))
    return candidates[0]


class _Server:
    def __init__(self, plugin_class, writer):
        self.plugin = plugin_class()
        self.actions = plugin_class._actions()
        self.writer = writer
        self.pool = ThreadPoolExecutor(max_workers=int(os.environ.get("APEX_WORKERS", "8")))
        self.cancelled = set()

    def handle(self, message):
        kind = message.get("type")
        call_id = message.get("id")
        if kind == "ping":
            self.writer.send({"type": "pong"})
        elif kind == "initialize":
            self.pool.submit(self.initialize, call_id, message)
        elif kind == "execute":
            self.pool.submit(self.execute, call_id, message)
        elif kind == "cancel":
            self.cancelled.add(call_id)
        elif kind == "reply":
            self.plugin.context._on_reply(message)
        elif kind == "event":
            self.pool.submit(self.deliver, message)
        elif kind == "shutdown":  # on the pool: shutdown may call the host, whose reply this thread reads
            self.pool.submit(self.guarded, call_id, lambda: self.result(call_id, self.plugin.shutdown()))
        else:
            logging.warning("unknown message type %r ignored", kind)

    def initialize(self, call_id, message):
        def run():
            context = Context(message, self.writer.send)
            self.plugin.context = context
            self.plugin.initialize(context)
            self.writer.send({"type": "ready", "id": call_id, "v": PROTOCOL_VERSION, "actions": sorted(self.actions)})
        self.guarded(call_id, run)

    def execute(self, call_id, message):
        def run():
            name = message.get("action")
            method = self.actions.get(name)
            if method is None:
                raise _NotFound("no action %r (it has %s)" % (name, sorted(self.actions)))
            params = message.get("params") or {}
            if message.get("stream"):
                for item in method(self.plugin, params):
                    if call_id in self.cancelled:
                        self.cancelled.discard(call_id)
                        return
                    self.writer.send({"type": "chunk", "id": call_id, "data": item})
                self.writer.send({"type": "result", "id": call_id})
            else:
                self.result(call_id, method(self.plugin, params))
        self.guarded(call_id, run)

    def deliver(self, message):
        try:
            self.plugin.context._deliver(message)
        except Exception:  # a failing handler must not stop later events; the traceback goes to the log
            logging.error("event handler failed:\n%s", traceback.format_exc())

    def result(self, call_id, data):
        self.writer.send({"type": "result", "id": call_id, "data": data})

    def guarded(self, call_id, run):
        try:
            run()
        except _NotFound as e:
            self.error(call_id, "action_not_found", str(e))
        except ActionError as e:
            self.error(call_id, e.error_type, str(e))
        except Exception as e:  # reported to the host with its type; the traceback goes to the log
            logging.error("call %s failed:\n%s", call_id, traceback.format_exc())
            self.error(call_id, "execution", "%s: %s" % (type(e).__name__, e))

    def error(self, call_id, error_type, text):
        self.writer.send({"type": "error", "id": call_id, "error": {"type": error_type, "message": text}})


class _NotFound(Exception):
    pass


def main(argv):
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(levelname)s %(message)s")
    protocol_out = sys.stdout
    sys.stdout = sys.stderr  # print() in plugin code must not corrupt the protocol
    _apply_limits()
    _exit_with_parent()
    if len(argv) < 2:
        raise SystemExit("ERROR usage: python -m apexagent_plugin <main_module.py> [ClassName]")
    server = _Server(_load(argv[1], argv[2] if len(argv) > 2 else ""), _Writer(protocol_out))
    for line in sys.stdin:
        if line.strip():
            server.handle(json.loads(line))
    os._exit(0)  # end of input: the host is gone or done; do not wait for running actions


if __name__ == "__main__":
    main(sys.argv)
