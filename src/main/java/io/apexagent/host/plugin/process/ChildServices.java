package io.apexagent.host.plugin.process;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import io.apexagent.plugin.PluginException;
import io.apexagent.plugin.PluginFileTooLargeException;
import io.smallrye.mutiny.Uni;

/**
 * Answers one child's {@code call} messages with a {@code reply}, off the thread that reads the child's
 * stdout: each call runs on {@code workers} through {@link ContextServices}. Bounded: at most
 * {@code maxCalls} calls of a child wait at once (more are answered {@code busy} at once, so a flooding
 * child costs no memory), and a reply longer than {@code maxReplyBytes} is replaced by a {@code too_large}
 * error. Neither arguments nor reply data are logged: they may hold credential values. Thread-safe.
 */
final class ChildServices {

    private static final Logger LOG = Logger.getLogger(ChildServices.class);

    private final String pluginId;
    private final ChildConnection connection;
    private final Executor workers;
    private final int maxCalls;
    private final int maxReplyBytes;
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile ContextServices services;

    ChildServices(String pluginId, ChildConnection connection, Executor workers, int maxCalls, int maxReplyBytes) {
        this.pluginId = pluginId;
        this.connection = connection;
        this.workers = workers;
        this.maxCalls = maxCalls;
        this.maxReplyBytes = maxReplyBytes;
    }

    /** Makes the services reachable (at initialize, before the child runs any plugin code). */
    void bind(ContextServices services) {
        this.services = services;
    }

    /** Handles one {@code call} message; returns at once. */
    void call(Map<String, Object> message) {
        if (!(message.get("id") instanceof String id)) {
            LOG.warnf("plugin %s: ignored a call without a text id", pluginId);
            return;
        }
        if (waiting.incrementAndGet() > maxCalls) {
            waiting.decrementAndGet();
            error(id, "busy", "more than " + maxCalls + " calls are waiting on the host "
                    + "(apex.plugins.process.max-child-calls); wait for replies before calling again");
            return;
        }
        String service = String.valueOf(message.get("service"));
        Uni.createFrom().deferred(() -> run(service, message.get("args")))
                .runSubscriptionOn(workers)
                .emitOn(workers)
                .subscribe().with(data -> {
                    waiting.decrementAndGet();
                    reply(id, service, data);
                }, failure -> {
                    waiting.decrementAndGet();
                    error(id, typeOf(failure), failure.getMessage(), detailsOf(failure));
                });
    }

    @SuppressWarnings("unchecked")
    private Uni<Object> run(String service, Object args) {
        ContextServices bound = services;
        if (bound == null) {
            throw new IllegalStateException("the plugin is not initialized yet");
        }
        ContextServices.Service target = bound.named(service);
        if (target == null) {
            throw new UnknownServiceException(service);
        }
        if (args != null && !(args instanceof Map)) {
            throw new IllegalArgumentException("'args' must be an object");
        }
        try {
            return target.call(args == null ? Map.of() : (Map<String, Object>) args);
        } catch (IOException e) {
            return Uni.createFrom().failure(e);
        }
    }

    private void reply(String id, String service, Object data) {
        Map<String, Object> reply = new HashMap<>();
        reply.put("type", "reply");
        reply.put("id", id);
        reply.put("data", data);
        if (!connection.sendAtMost(reply, maxReplyBytes)) {
            error(id, "too_large", "the reply to " + service + " is longer than " + maxReplyBytes
                    + " bytes (apex.plugins.process.max-reply-bytes)");
        }
    }

    private void error(String id, String type, String text) {
        error(id, type, text, Map.of());
    }

    /** @param details more fields of the error object, beside its type and message */
    private void error(String id, String type, String text, Map<String, Object> details) {
        LOG.debugf("plugin %s: call %s refused (%s)", pluginId, id, type);
        Map<String, Object> error = new HashMap<>(details);
        error.put("type", type);
        error.put("message", text == null ? type : text);
        connection.send(Map.of("type", "reply", "id", id, "error", error));
    }

    /** Size and limit of a file too large, as numbers: a child JVM throws the exception in-process plugins get. */
    private static Map<String, Object> detailsOf(Throwable failure) {
        return failure instanceof PluginFileTooLargeException tooLarge
                ? Map.of("size", tooLarge.size(), "limit", tooLarge.limit()) : Map.of();
    }

    private static String typeOf(Throwable failure) {
        if (failure instanceof PluginException e) {
            return e.errorType();
        }
        if (failure instanceof PluginFileTooLargeException) {
            return "too_large";
        }
        if (failure instanceof NoSuchFileException) {
            return "not_found";
        }
        if (failure instanceof UnknownServiceException) {
            return "unknown_service";
        }
        if (failure instanceof IllegalArgumentException || failure instanceof IllegalStateException) {
            return "bad_request";
        }
        return failure instanceof IOException ? "io" : "execution";
    }

    /** A call naming a service that does not exist. */
    private static final class UnknownServiceException extends RuntimeException {
        UnknownServiceException(String service) {
            super("no context service '" + service + "' (see docs/process-protocol.md)");
        }
    }
}
