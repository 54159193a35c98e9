package io.apexagent.host.plugin.process.child;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.apexagent.plugin.PluginEvent;
import io.apexagent.plugin.PluginEvents;
import io.smallrye.mutiny.Uni;

/**
 * Events of a plugin in a child JVM: {@code publish} messages out, and subscriptions made on the host
 * ({@code events.subscribe}, which checks event_subscribe there) whose events come back as {@code event}
 * messages tagged with the subscription's id. The handler is registered before the host is asked, so no
 * event is lost between the host's subscribing and its reply; handlers run on the call pool, never on the
 * stdin thread. Thread-safe.
 */
final class ChildEvents implements PluginEvents {

    private final Wire wire;
    private final HostCalls host;
    private final Executor handlers;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Consumer<PluginEvent>> subscriptions = new ConcurrentHashMap<>();

    ChildEvents(Wire wire, HostCalls host, Executor handlers) {
        this.wire = wire;
        this.host = host;
        this.handlers = handlers;
    }

    @Override
    public Uni<Void> publish(String type, Map<String, Object> data) {
        return Uni.createFrom().voidItem().invoke(() -> {
            try {
                wire.send(Map.of("type", "publish", "eventType", type, "data", Wire.plain(data),
                        "time", Instant.now().toString()));
            } catch (IOException e) {
                throw new UncheckedIOException("the host is gone; event " + type + " not sent", e);
            }
        });
    }

    /** Waits for the host's answer, so a refusal throws here as it does in process. */
    @Override
    public AutoCloseable subscribe(String type, Consumer<PluginEvent> handler) {
        String id = "s" + ids.incrementAndGet();
        subscriptions.put(id, handler);
        try {
            host.await("events.subscribe", Map.of("subscription", id, "eventType", type));
        } catch (RuntimeException e) {
            subscriptions.remove(id);
            throw e;
        }
        return () -> {
            if (subscriptions.remove(id) != null) {
                host.tell("events.unsubscribe", Map.of("subscription", id));
            }
        };
    }

    /** Hands an {@code event} message to its subscription's handler. */
    @SuppressWarnings("unchecked")
    void deliver(Map<String, Object> message) {
        Consumer<PluginEvent> handler = subscriptions.get(String.valueOf(message.get("subscription")));
        if (handler == null || !(message.get("event") instanceof Map<?, ?> raw)) {
            return; // closed meanwhile
        }
        Map<String, Object> m = (Map<String, Object>) raw;
        PluginEvent event = new PluginEvent(String.valueOf(m.get("id")), String.valueOf(m.get("type")),
                String.valueOf(m.get("source")), Instant.parse(String.valueOf(m.get("time"))),
                (Map<String, Object>) m.get("data"));
        handlers.execute(() -> handler.accept(event));
    }
}
