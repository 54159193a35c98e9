"""ApexAgent plugin SDK for Python (stdlib only, Python >= 3.9).

A plugin is a class that extends :class:`Plugin` and marks its actions with :func:`action`. A normal
action returns a JSON-compatible value; a streaming action (``streaming=True``) is a generator whose
yielded values become the stream's chunks. Raise :class:`ActionError` for a clear failure. The host runs
the plugin in a child process and talks to it over JSON lines on stdin/stdout
(``docs/process-protocol.md``); stdout belongs to the protocol, so ``print`` goes to stderr, the log.

The :class:`Context` reaches the host's services for the plugin — events, state, credentials, other
plugins, files — with the same permission checks as an in-process plugin: a refusal raises
:class:`PluginSecurityError` naming the permission, other failures :class:`ServiceError`. These calls
block until the host answers; call them from actions, ``initialize`` or event handlers.

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

import base64
import itertools
import json
import logging
import sys
import threading
from datetime import datetime, timezone

PROTOCOL_VERSION = 1

__all__ = ["Plugin", "Context", "action", "ActionError", "TransientError", "ServiceError", "PluginSecurityError",
           "FileTooLargeError", "PROTOCOL_VERSION"]

#: Seconds a context call waits for the host's reply.
CALL_TIMEOUT = 60


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


class ServiceError(Exception):
    """A context-service call the host refused or could not complete; ``error_type`` says why."""

    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type


class PluginSecurityError(ServiceError):
    """A call the plugin's permissions (or the operator's policy) do not allow; the message names the permission."""


class FileTooLargeError(ServiceError):
    """A file refused from its size, unread: larger than the ``max_bytes`` asked for, or than a reply can carry.
    ``size`` and ``limit`` are in bytes."""

    def __init__(self, error_type, message, size=None, limit=None):
        super().__init__(error_type, message)
        self.size = size
        self.limit = limit


class _HostCalls:
    """Calls of the host's context services: ``call`` messages whose ``reply`` the stdin thread hands back."""

    def __init__(self, send):
        self._send = send
        self._lock = threading.Lock()
        self._next = 0
        self._waiting = {}

    def call(self, service, args):
        if threading.current_thread() is threading.main_thread():
            raise RuntimeError("%s cannot wait on the thread that reads the host's messages" % service)
        with self._lock:
            self._next += 1
            call_id = "c%d" % self._next
            slot = self._waiting[call_id] = [threading.Event(), None]
        try:
            self._send({"type": "call", "id": call_id, "service": service, "args": args})
            if not slot[0].wait(CALL_TIMEOUT):
                raise ServiceError("timeout", "the host did not answer %s within %d s" % (service, CALL_TIMEOUT))
        finally:
            with self._lock:
                self._waiting.pop(call_id, None)
        reply = slot[1]
        error = reply.get("error")
        if error:
            if error.get("type") == "too_large" and "size" in error:
                raise FileTooLargeError(error["type"], error.get("message"), error.get("size"), error.get("limit"))
            kind = PluginSecurityError if error.get("type") == "security" else ServiceError
            raise kind(error.get("type"), error.get("message"))
        return reply.get("data")

    def on_reply(self, reply):
        with self._lock:
            slot = self._waiting.get(reply.get("id"))
        if slot is not None:
            slot[1] = reply
            slot[0].set()


class Subscription:
    """An event subscription; :meth:`close` ends it."""

    def __init__(self, context, subscription_id):
        self._context = context
        self.id = subscription_id

    def close(self):
        self._context.unsubscribe(self)


class Context:
    """What the host hands the plugin at initialize: config, data directory, permissions, and its services."""

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
        self._host = _HostCalls(send)
        self._subscribers = {}
        self._subscription_ids = itertools.count(1)

    # --- events ---------------------------------------------------------------------------------------

    def publish(self, event_type, data=None):
        """Publishes an event (the host checks the event_publish permission)."""
        self._send({"type": "publish", "eventType": event_type, "data": data or {},
                    "time": datetime.now(timezone.utc).isoformat()})

    def subscribe(self, event_type, handler):
        """Calls ``handler(event_dict)`` on a worker for each event of this type (event_subscribe)."""
        subscription_id = "s%d" % next(self._subscription_ids)
        self._subscribers[subscription_id] = handler  # before asking: an event may come before the reply
        try:
            self._host.call("events.subscribe", {"subscription": subscription_id, "eventType": event_type})
        except Exception:
            self._subscribers.pop(subscription_id, None)
            raise
        return Subscription(self, subscription_id)

    def unsubscribe(self, subscription):
        """Ends a subscription made with :meth:`subscribe`."""
        if self._subscribers.pop(subscription.id, None) is not None:
            self._host.call("events.unsubscribe", {"subscription": subscription.id})

    # --- state (state_access), kept by the host and saved in its database on every change -----------

    def state_get(self, key=None):
        """Returns the value of ``key`` (None when absent), or the whole state as a dict without a key."""
        return self._host.call("state.get", {} if key is None else {"key": key})

    def state_put(self, key, value):
        """Sets ``key`` to a JSON-compatible value and saves the state."""
        self._host.call("state.put", {"key": key, "value": value})

    def state_delete(self, key):
        """Removes ``key`` and saves the state."""
        self._host.call("state.delete", {"key": key})

    def state_keys(self):
        """Returns the keys of the state, sorted."""
        return self._host.call("state.list", {})

    # --- credentials (credential_access), the plugin's own only ----------------------------------------

    def credential(self, name):
        """Returns the current value of the plugin's credential ``name``, or None when there is none."""
        return self._host.call("credentials.get", {"name": name})

    # --- other plugins (plugin_invoke), declared dependencies only --------------------------------------

    def invoke(self, plugin_id, action_name, params=None):
        """Runs a non-streaming action of a plugin this one depends on and returns its result."""
        return self._host.call("plugins.invoke", {"plugin": plugin_id, "action": action_name, "params": params or {}})

    # --- files inside the data directory (file_system_read / file_system_write) -------------------------

    def read_file(self, path, max_bytes=None):
        """Returns the bytes of a file; raises FileNotFoundError when it does not exist, and
        :class:`FileTooLargeError` (from the file's size, unread) when it is larger than ``max_bytes`` or than a
        reply can carry (about 3/4 of the host's ``apex.plugins.process.max-reply-bytes``)."""
        args = {"path": path}
        if max_bytes is not None:
            if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 0:
                raise ValueError("max_bytes must be a whole number of bytes, 0 or more, not %r" % (max_bytes,))
            args["maxBytes"] = max_bytes
        return base64.b64decode(self._file_call("files.read", args))

    def write_file(self, path, data):
        """Writes bytes (or text, as UTF-8) to a file, creating its directories."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        self._file_call("files.write", {"path": path, "data": base64.b64encode(data).decode("ascii")})

    def delete_file(self, path):
        """Deletes a file; returns whether it existed."""
        return self._file_call("files.delete", {"path": path})

    def list_files(self, path=""):
        """Returns the names in a directory of the data directory, sorted."""
        return self._file_call("files.list", {"path": path})

    def _file_call(self, service, args):
        try:
            return self._host.call(service, args)
        except ServiceError as e:
            if e.error_type == "not_found":
                raise FileNotFoundError(args["path"]) from e
            raise

    # --- HTTP through the host (network_access, the operator's allowed hosts) ---------------------------

    def http(self, method, uri, headers=None, body=None, timeout=None, max_body_bytes=0, follow_redirects=True):
        """Sends an HTTP(S) request through the host and returns ``{"status", "headers", "body", "uri"}``
        (``body`` as bytes, ``uri`` after redirects, header names in lower case). The host checks
        network_access, the allowed hosts and, unless the operator allows them, internal addresses (loopback,
        private, link-local) of every hop before it connects; a refusal raises ``PluginSecurityError``.
        ``timeout`` is in seconds; a body over the limit raises ``ServiceError`` with ``error_type``
        ``resource_limit``."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        args = {"method": method, "uri": uri, "headers": headers or {}, "followRedirects": follow_redirects,
                "body": base64.b64encode(body or b"").decode("ascii"), "maxBodyBytes": max_body_bytes}
        if timeout is not None:
            args["timeoutMs"] = int(timeout * 1000)
        reply = self._host.call("http.send", args)
        reply["body"] = base64.b64decode(reply.get("body") or "")
        return reply

    # --- called by the server -------------------------------------------------------------------------

    def _deliver(self, message):
        handler = self._subscribers.get(message.get("subscription"))
        if handler is not None:
            handler(message.get("event") or {})

    def _on_reply(self, message):
        self._host.on_reply(message)


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
