package io.apexagent.host.plugin.process;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.apexagent.plugin.PluginContext;
import io.apexagent.plugin.PluginEvent;

/**
 * The event subscriptions of one child, made through the plugin's own {@code context.events()} (which checks
 * event_subscribe) and forwarded to the child as {@code event} messages tagged with the subscription id the
 * child chose. At most {@link #MAX} per child, so a child cannot grow the host's subscription list without
 * bound. Thread-safe.
 */
final class ChildSubscriptions {

    /** Open subscriptions one child may hold. */
    static final int MAX = 256;

    private static final Logger LOG = Logger.getLogger(ChildSubscriptions.class);

    private final String pluginId;
    private final ChildConnection connection;
    private final int maxMessageBytes;
    private final Map<String, AutoCloseable> open = new ConcurrentHashMap<>();

    ChildSubscriptions(String pluginId, ChildConnection connection, int maxMessageBytes) {
        this.pluginId = pluginId;
        this.connection = connection;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Subscribes through the context; events of {@code type} then reach the child tagged {@code id}. */
    void subscribe(PluginContext context, String id, String type) {
        if (open.containsKey(id)) {
            throw new IllegalArgumentException("subscription id '" + id + "' is already in use");
        }
        if (open.size() >= MAX) {
            throw new IllegalArgumentException("the child already holds " + MAX + " event subscriptions; close some");
        }
        AutoCloseable handle = context.events().subscribe(type, event -> forward(id, event));
        if (open.putIfAbsent(id, handle) != null) {
            close(id, handle);
            throw new IllegalArgumentException("subscription id '" + id + "' is already in use");
        }
    }

    /** @return whether the subscription existed */
    boolean unsubscribe(String id) {
        AutoCloseable handle = open.remove(id);
        if (handle != null) {
            close(id, handle);
        }
        return handle != null;
    }

    /** Ends every subscription (the child stops or is gone). */
    void closeAll() {
        List.copyOf(open.keySet()).forEach(this::unsubscribe);
    }

    private void forward(String id, PluginEvent event) {
        if (connection.fault() != null) {
            unsubscribe(id);
            return;
        }
        Map<String, Object> message = Map.of("type", "event", "subscription", id, "event", Map.of(
                "id", event.id(), "type", event.type(), "source", event.sourcePluginId(),
                "time", event.time().toString(), "data", event.data()));
        if (!connection.sendAtMost(message, maxMessageBytes)) {
            LOG.warnf("plugin %s: event %s (%s) not delivered to its process: larger than %d bytes "
                    + "(apex.plugins.process.max-reply-bytes)", pluginId, event.id(), event.type(), maxMessageBytes);
        }
    }

    private void close(String id, AutoCloseable handle) {
        try {
            handle.close();
        } catch (Exception e) {
            LOG.warnf("plugin %s: closing event subscription %s failed: %s", pluginId, id, e.getMessage());
        }
    }
}
