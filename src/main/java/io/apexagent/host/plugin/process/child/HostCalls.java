package io.apexagent.host.plugin.process.child;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.apexagent.plugin.PluginActionNotFoundException;
import io.apexagent.plugin.PluginException;
import io.apexagent.plugin.PluginExecutionException;
import io.apexagent.plugin.PluginSecurityException;
import io.apexagent.plugin.PluginStateException;
import io.apexagent.plugin.PluginTimeoutException;
import io.apexagent.plugin.PluginTransientException;
import io.smallrye.mutiny.Uni;

/**
 * The child's calls of the host's context services: each is a {@code call} message with an id of the
 * child's own ({@code c1}, {@code c2}, …), and its {@code reply} — read by the stdin thread — completes a
 * future, so that thread never waits for one; the plugin's continuations then run on the call pool, where
 * they may call again and wait. A refused call fails with the SDK exception of its error
 * type ({@link PluginSecurityException} for {@code security}). Blocking waits are for the SDK's synchronous
 * APIs (files, subscribe) and are refused on the stdin thread, which would wait for itself. Thread-safe.
 */
final class HostCalls {

    /** How long a synchronous API waits for its reply. */
    static final long WAIT_SECONDS = 60;

    private final String pluginId;
    private final Wire wire;
    private final Thread reader;
    private final Executor continuations;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, CompletableFuture<Object>> waiting = new ConcurrentHashMap<>();

    HostCalls(String pluginId, Wire wire, Thread reader, Executor continuations) {
        this.pluginId = pluginId;
        this.wire = wire;
        this.reader = reader;
        this.continuations = continuations;
    }

    /** @return the reply's data, once the host answers */
    Uni<Object> call(String service, Map<String, Object> args) {
        return Uni.createFrom().deferred(() -> Uni.createFrom().completionStage(send(service, args)))
                .emitOn(continuations);
    }

    /** Waits for the reply; for synchronous APIs of the SDK. */
    Object await(String service, Map<String, Object> args) {
        if (Thread.currentThread() == reader) {
            throw new IllegalStateException("plugin " + pluginId + ": " + service + " cannot wait on the thread that "
                    + "reads the host's messages; call it from an action, initialize or an event handler");
        }
        CompletableFuture<Object> reply = send(service, args);
        try {
            return reply.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new PluginExecutionException(pluginId,
                    e.getCause().toString(), e.getCause());
        } catch (TimeoutException e) {
            throw new PluginTimeoutException(pluginId, "plugin " + pluginId + ": the host did not answer " + service
                    + " within " + WAIT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PluginExecutionException(pluginId, "plugin " + pluginId + ": interrupted waiting for " + service,
                    e);
        } finally {
            reply.cancel(false);
        }
    }

    /** Sends a call and forgets its reply (closing a subscription). */
    void tell(String service, Map<String, Object> args) {
        send(service, args).whenComplete((ok, failure) -> { });
    }

    /** Completes the call a {@code reply} answers; replies to no waiting call are dropped. */
    void onReply(Map<String, Object> reply) {
        CompletableFuture<Object> call = waiting.remove(String.valueOf(reply.get("id")));
        if (call == null) {
            return;
        }
        if (reply.get("error") instanceof Map<?, ?> error) {
            call.completeExceptionally(failure(String.valueOf(error.get("type")),
                    String.valueOf(error.get("message")), error));
        } else {
            call.complete(reply.get("data"));
        }
    }

    private CompletableFuture<Object> send(String service, Map<String, Object> args) {
        String id = "c" + ids.incrementAndGet();
        CompletableFuture<Object> reply = new CompletableFuture<>();
        reply.whenComplete((ok, failure) -> waiting.remove(id));
        waiting.put(id, reply);
        try {
            wire.send(Map.of("type", "call", "id", id, "service", service, "args", args));
        } catch (IOException e) {
            reply.completeExceptionally(new UncheckedIOException("the host is gone; " + service + " not sent", e));
        }
        return reply;
    }

    private PluginException failure(String type, String message, Map<?, ?> error) {
        return switch (type) {
            case "security" -> new PluginSecurityException(pluginId, message, null);
            case "state", "state_unavailable" -> new PluginStateException(pluginId, message, null);
            case "action_not_found" -> new PluginActionNotFoundException(pluginId, message, null);
            case "transient", "busy" -> new PluginTransientException(message);
            default -> new HostCallException(pluginId, type, message, error);
        };
    }
}
