"""ApexAgent plugin SDK for Python (stdlib only, Python >= 3.9).

A plugin is a class that extends :class:`Plugin` and marks its actions with :func:`action`. A normal
action returns a JSON-compatible value; a streaming action (``streaming=True``) is a generator whose
yielded values become the stream's chunks. Raise :class:`ActionError` for a clear failure. The host runs
the plugin in a child process and talks to it over JSON lines on stdin/stdout
(``docs/process-protocol.md``); stdout belongs to the protocol, so ``print`` goes to stderr, the log.

Example::

    from apexagent_plugin import Plugin, action

    class TextTools(Plugin):
        @action("upper")
        def upper(self, params):
            return {"text": params["text"].upper()}

        @action("words", streaming=True)
        def words(self, params):
            for word in params["text"].split():
                yield {"word": word}
"""

import json
import logging
import sys
import threading
from datetime import datetime, timezone

PROTOCOL_VERSION = 1

__all__ = ["Plugin", "Context", "action", "ActionError", "TransientError", "PROTOCOL_VERSION"]


def action(name=None, streaming=False):
    """Marks a method ``(self, params)`` as the action ``name`` (default: the method's name)."""

    def mark(method):
        method._apex_action = name or method.__name__
        method._apex_streaming = streaming
        return method

    return mark


class ActionError(Exception):
    """A failure the caller should see as is (error type ``execution``)."""

    error_type = "execution"


class TransientError(ActionError):
    """A failure that may go away when the call is tried again."""

    error_type = "transient"


class Context:
    """What the host hands the plugin at initialize: config, data directory, permissions, events, log."""

    def __init__(self, message, send):
        plugin = message.get("plugin") or {}
        self.plugin_id = plugin.get("id", "?")
        self.metadata = plugin
        self.node_id = message.get("nodeId")
        self.config = message.get("config") or {}
        self.data_dir = message.get("dataDir")
        self.permissions = frozenset(message.get("permissions") or [])
        self.logger = logging.getLogger("plugin." + self.plugin_id)
        self._send = send
        self._subscribers = {}

    def publish(self, event_type, data=None):
        """Publishes an event (the host checks the event_publish permission)."""
        self._send({"type": "publish", "eventType": event_type, "data": data or {},
                    "time": datetime.now(timezone.utc).isoformat()})

    def subscribe(self, event_type, handler):
        """Calls ``handler(event_dict)`` for each delivered event of this type."""
        self._subscribers.setdefault(event_type, []).append(handler)

    def _deliver(self, event):
        for handler in self._subscribers.get(event.get("type"), []):
            handler(event)


class Plugin:
    """Base class of Python plugins. Override :meth:`initialize` and :meth:`shutdown` when needed."""

    context = None

    def initialize(self, context):
        """Called once before any action, with the :class:`Context`."""

    def shutdown(self):
        """Called once when the host stops the plugin."""

    @classmethod
    def _actions(cls):
        found = {}
        for klass in reversed(cls.__mro__):
            for attribute in vars(klass).values():
                name = getattr(attribute, "_apex_action", None)
                if name:
                    found[name] = attribute
        return found


class _Writer:
    """Writes protocol messages to the real stdout, one JSON line each, from any thread."""

    def __init__(self, stream):
        self._stream = stream
        self._lock = threading.Lock()

    def send(self, message):
        line = json.dumps(message, separators=(",", ":"), default=str) + "\n"
        with self._lock:
            self._stream.write(line)
            self._stream.flush()
