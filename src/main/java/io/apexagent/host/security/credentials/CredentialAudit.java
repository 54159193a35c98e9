package io.apexagent.host.security.credentials;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.apexagent.host.config.NodeIdentity;
import io.apexagent.host.events.HostEventBus;
import io.apexagent.host.events.PluginErrorEvent;

/**
 * Security events for credential changes (on {@code apex.plugin.errors}, CloudEvents type
 * {@code io.apexagent.plugin.security}): who changed which name to which version, never the value.
 */
@ApplicationScoped
public class CredentialAudit {

    /** Event type of a new credential version. */
    public static final String WRITTEN = PluginErrorEvent.SECURITY + ".credential_written";
    /** Event type of a deleted credential (all its versions). */
    public static final String DELETED = PluginErrorEvent.SECURITY + ".credential_deleted";

    private final HostEventBus bus;
    private final String nodeId;

    CredentialAudit(HostEventBus bus, NodeIdentity node) {
        this.bus = bus;
        this.nodeId = node.nodeId();
    }

    void written(String pluginId, String name, int version, String actor) {
        publish(pluginId, WRITTEN, "credential '" + name + "' of plugin " + pluginId + " written by " + actor
                + ": version " + version);
    }

    void deleted(String pluginId, String name, String actor) {
        publish(pluginId, DELETED, "credential '" + name + "' of plugin " + pluginId + " deleted by " + actor
                + " (every version)");
    }

    private void publish(String pluginId, String type, String message) {
        bus.publishError(new PluginErrorEvent(pluginId, null, type, null, message, nodeId, Instant.now()));
    }
}
