package io.apexagent.host.messaging.events;

import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.apexagent.host.config.NodeIdentity;
import io.apexagent.host.events.HostEventBus;
import io.apexagent.plugin.PluginEvent;

/**
 * Delivers plugin events published on other replicas to this replica's subscribers. Events this
 * replica published itself were already delivered locally and are skipped, so no subscriber gets an
 * event twice.
 */
@ApplicationScoped
public class RemotePluginEvents {

    public static final String CHANNEL = "remote-plugin-events";

    private static final Logger LOG = Logger.getLogger(RemotePluginEvents.class);

    private final HostEventBus bus;
    private final ObjectMapper json;
    private final String nodeId;

    RemotePluginEvents(HostEventBus bus, ObjectMapper json, NodeIdentity node) {
        this.bus = bus;
        this.json = json;
        this.nodeId = node.nodeId();
    }

    @Incoming(CHANNEL)
    public void receive(String cloudEvent) {
        try {
            JsonNode ce = json.readTree(cloudEvent);
            if (nodeId.equals(ce.path(EventForwarder.NODE_EXTENSION).asText())) {
                return;
            }
            JsonNode data = ce.path("data");
            @SuppressWarnings("unchecked")
            Map<String, Object> payload = data.has("data") ? json.convertValue(data.get("data"), Map.class) : Map.of();
            bus.publishRemotePluginEvent(new PluginEvent(data.path("id").asText(), data.path("type").asText(),
                    data.path("sourcePluginId").asText(), Instant.parse(data.path("time").asText()), payload));
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warnf("ignored a record of apex.plugin.events that is not a plugin event CloudEvent: %s", e.getMessage());
        }
    }
}
