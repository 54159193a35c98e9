package io.apexagent.host.messaging.events;

import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.apexagent.host.config.NodeIdentity;
import io.apexagent.host.events.HostEventBus;
import io.apexagent.host.events.PluginErrorEvent;
import io.apexagent.host.plugin.lifecycle.LifecycleEvent;
import io.apexagent.plugin.PluginEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Forwards the replica's internal events to Kafka as CloudEvents 1.0 (structured JSON, key pluginId):
 * lifecycle transitions to {@code apex.plugin.lifecycle}, plugin events to {@code apex.plugin.events}
 * (which other replicas read), errors and security events (type {@value #SECURITY_TYPE}) to
 * {@code apex.plugin.errors}. Each carries the extensions
 * {@code nodeid}, {@code pluginid} and {@code pluginversion}.
 */
@ApplicationScoped
public class EventForwarder {

    public static final String LIFECYCLE = "plugin-lifecycle";
    public static final String EVENTS = "plugin-events";
    public static final String ERRORS = "plugin-errors";
    /** CloudEvents type of security events on the errors topic (denials, refused loads, credential changes). */
    public static final String SECURITY_TYPE = "io.apexagent.plugin.security";
    /** CloudEvents extension naming the replica that produced the event. */
    public static final String NODE_EXTENSION = "nodeid";
    /** Counter of events not forwarded, tagged by channel. */
    public static final String NOT_FORWARDED = "apex.events.not.forwarded";

    private static final Logger LOG = Logger.getLogger(EventForwarder.class);

    private final MutinyEmitter<Object> lifecycle;
    private final MutinyEmitter<Object> events;
    private final MutinyEmitter<Object> errors;
    private final String nodeId;
    private final MeterRegistry registry;

    EventForwarder(@Channel(LIFECYCLE) MutinyEmitter<Object> lifecycle, @Channel(EVENTS) MutinyEmitter<Object> events,
            @Channel(ERRORS) MutinyEmitter<Object> errors, NodeIdentity node, MeterRegistry registry) {
        this.lifecycle = lifecycle;
        this.events = events;
        this.errors = errors;
        this.nodeId = node.nodeId();
        this.registry = registry;
    }

    void start(@Observes StartupEvent event, HostEventBus bus) {
        Counter lifecycleLost = notForwarded(LIFECYCLE);
        Counter eventsLost = notForwarded(EVENTS);
        Counter errorsLost = notForwarded(ERRORS);
        bus.onLifecycle(e -> forward(lifecycle, lifecycleLost, e, e.pluginId(), e.version(),
                "io.apexagent.plugin.lifecycle"));
        bus.onPluginEvent(e -> forward(events, eventsLost, e, e.sourcePluginId(), null, "io.apexagent.plugin.event"));
        bus.onError(e -> forward(errors, errorsLost, e, e.pluginId(), e.version(),
                e.isSecurityEvent() ? SECURITY_TYPE : "io.apexagent.plugin.error"));
    }

    /** Events the broker never acknowledged (an outage longer than the channel's delivery time-out): alert on it. */
    private Counter notForwarded(String channel) {
        return Counter.builder(NOT_FORWARDED).description("events given up on: the broker never acknowledged them")
                .tag("channel", channel).register(registry);
    }

    private void forward(MutinyEmitter<Object> emitter, Counter lost, Object payload, String pluginId, String version,
            String type) {
        Map<String, Object> extensions = new java.util.HashMap<>();
        extensions.put(NODE_EXTENSION, nodeId);
        extensions.put("pluginid", pluginId);
        if (version != null) {
            extensions.put("pluginversion", version);
        }
        Message<Object> message = Message.of(payload)
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(UUID.randomUUID().toString())
                        .withType(type)
                        .withSource(java.net.URI.create("apex-plugin-host/" + nodeId))
                        .withSubject(pluginId)
                        .withExtensions(extensions)
                        .build())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(pluginId).build());
        // Fire and report: auditing must never block or fail a plugin operation; the producer retries.
        Uni.createFrom().deferred(() -> emitter.sendMessage(message))
                .subscribe().with(ok -> { }, failure -> {
                    lost.increment();
                    LOG.errorf(failure, "%s event of %s not forwarded to Kafka", type, pluginId);
                });
    }

}
