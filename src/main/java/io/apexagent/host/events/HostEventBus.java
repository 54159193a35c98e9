package io.apexagent.host.events;

import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import io.apexagent.host.plugin.lifecycle.LifecycleEvent;
import io.apexagent.plugin.PluginEvent;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.mutiny.core.Vertx;

/**
 * The replica's internal event bus (Vert.x, local): lifecycle transitions, plugin events and plugin
 * errors are published here; the messaging adapters forward them to Kafka for auditors and other
 * replicas. Thread-safe.
 */
@ApplicationScoped
public class HostEventBus {

    /** Address of {@link LifecycleEvent}s. */
    public static final String LIFECYCLE = "apex.plugin.lifecycle";
    /** Address of {@link PluginEvent}s published on this replica. */
    public static final String PLUGIN_EVENTS = "apex.plugin.events";
    /** Address of {@link PluginEvent}s published on other replicas (delivered here, never forwarded again). */
    public static final String REMOTE_PLUGIN_EVENTS = "apex.plugin.events.remote";
    /** Address of {@link PluginErrorEvent}s. */
    public static final String ERRORS = "apex.plugin.errors";

    private final io.vertx.core.eventbus.EventBus bus;

    HostEventBus(Vertx vertx) {
        this.bus = vertx.getDelegate().eventBus();
        bus.registerDefaultCodec(LifecycleEvent.class, new LocalRecordCodec<>(LifecycleEvent.class));
        bus.registerDefaultCodec(PluginEvent.class, new LocalRecordCodec<>(PluginEvent.class));
        bus.registerDefaultCodec(PluginErrorEvent.class, new LocalRecordCodec<>(PluginErrorEvent.class));
    }

    public void publishLifecycle(LifecycleEvent event) {
        bus.publish(LIFECYCLE, event);
    }

    public void publishPluginEvent(PluginEvent event) {
        bus.publish(PLUGIN_EVENTS, event);
    }

    public void publishRemotePluginEvent(PluginEvent event) {
        bus.publish(REMOTE_PLUGIN_EVENTS, event);
    }

    /** @return a consumer of plugin events from other replicas; unregister it when done */
    public MessageConsumer<PluginEvent> onRemotePluginEvent(Consumer<PluginEvent> handler) {
        return bus.<PluginEvent>consumer(REMOTE_PLUGIN_EVENTS, m -> handler.accept(m.body()));
    }

    public void publishError(PluginErrorEvent event) {
        bus.publish(ERRORS, event);
    }

    /** @return a consumer of lifecycle events; unregister it when done */
    public MessageConsumer<LifecycleEvent> onLifecycle(Consumer<LifecycleEvent> handler) {
        return bus.<LifecycleEvent>consumer(LIFECYCLE, m -> handler.accept(m.body()));
    }

    /** @return a consumer of plugin events; unregister it when done */
    public MessageConsumer<PluginEvent> onPluginEvent(Consumer<PluginEvent> handler) {
        return bus.<PluginEvent>consumer(PLUGIN_EVENTS, m -> handler.accept(m.body()));
    }

    /** @return a consumer of plugin errors; unregister it when done */
    public MessageConsumer<PluginErrorEvent> onError(Consumer<PluginErrorEvent> handler) {
        return bus.<PluginErrorEvent>consumer(ERRORS, m -> handler.accept(m.body()));
    }
}
