package io.apexagent.plugin;

import java.util.Map;
import java.util.function.Consumer;

import io.smallrye.mutiny.Uni;

/** Custom events between plugins, delivered on every replica. */
public interface PluginEvents {

    /**
     * Publishes an event (event_publish).
     *
     * @param type event type, e.g. {@code "weather.updated"}
     * @param data JSON-compatible payload
     * @return completion once the event is handed to the host's event system
     */
    Uni<Void> publish(String type, Map<String, Object> data);

    /**
     * Subscribes to an event type at run time (event_subscribe), in addition to
     * {@link EventDrivenPlugin#subscriptions()}.
     *
     * @param type    event type or {@code "*"}
     * @param handler called on the plugin's workers
     * @return a handle whose {@code close()} ends the subscription
     */
    AutoCloseable subscribe(String type, Consumer<PluginEvent> handler);
}
