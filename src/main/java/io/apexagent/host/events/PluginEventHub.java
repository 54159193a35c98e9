package io.apexagent.host.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.apexagent.plugin.PluginEvent;

/**
 * Delivers plugin events published on this replica's bus to the plugins subscribed to their type,
 * each on the subscriber's own workers. A subscriber gets each event once. Thread-safe.
 */
@ApplicationScoped
public class PluginEventHub {

    private static final Logger LOG = Logger.getLogger(PluginEventHub.class);

    @Inject
    HostEventBus bus;

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    @PostConstruct
    void listen() {
        bus.onPluginEvent(this::deliver);
        bus.onRemotePluginEvent(this::deliver);
    }

    /**
     * @param pluginId the subscribing plugin
     * @param type     event type or {@code "*"}
     * @param workers  where the handler runs
     * @param handler  the plugin's handler
     * @return closes the subscription
     */
    public AutoCloseable subscribe(String pluginId, String type, Executor workers, Consumer<PluginEvent> handler) {
        Subscription s = new Subscription(pluginId, type, workers, handler);
        subscriptions.add(s);
        return () -> subscriptions.remove(s);
    }

    /** Removes every subscription of a plugin (on stop/unload). */
    public void unsubscribeAll(String pluginId) {
        subscriptions.removeIf(s -> s.pluginId.equals(pluginId));
    }

    void deliver(PluginEvent event) {
        for (Subscription s : subscriptions) {
            if (s.type.equals("*") || s.type.equals(event.type())) {
                try {
                    s.workers.execute(() -> s.handler.accept(event));
                } catch (RuntimeException e) {
                    LOG.warnf("event %s (%s) not delivered to plugin %s: %s", event.id(), event.type(), s.pluginId,
                            e.getMessage());
                }
            }
        }
    }

    private record Subscription(String pluginId, String type, Executor workers, Consumer<PluginEvent> handler) {
    }
}
