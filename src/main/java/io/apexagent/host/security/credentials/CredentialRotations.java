package io.apexagent.host.security.credentials;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.apexagent.host.config.NodeIdentity;
import io.apexagent.host.plugin.PluginManager;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Tells {@code SecurityAwarePlugin}s about new credential versions on every replica: the local plugin
 * at once, the other replicas through {@code apex.plugin.credentials} (each reads all of it). Thread-safe.
 */
@ApplicationScoped
public class CredentialRotations {

    public static final String OUT = "credential-rotations-out";
    public static final String IN = "credential-rotations-in";

    private static final Logger LOG = Logger.getLogger(CredentialRotations.class);

    private final PluginManager plugins;
    private final MutinyEmitter<CredentialRotation> out;
    private final String nodeId;

    CredentialRotations(PluginManager plugins, @Channel(OUT) MutinyEmitter<CredentialRotation> out, NodeIdentity node) {
        this.plugins = plugins;
        this.out = out;
        this.nodeId = node.nodeId();
    }

    /** Tells the plugin here, then the other replicas; the write does not wait for Kafka. */
    void rotated(String pluginId, String name, int version) {
        plugins.credentialRotated(pluginId, name, version);
        CredentialRotation rotation = new CredentialRotation(pluginId, name, version, nodeId, Instant.now());
        out.sendMessage(Message.of(rotation).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(pluginId).build()))
                .subscribe().with(ok -> { }, failure -> LOG.errorf("rotation of credential '%s' of plugin %s not sent"
                        + " to the other replicas (they serve the new value but are not told): %s", name, pluginId,
                        failure.getMessage()));
    }

    /** Rotations written on other replicas. */
    @Incoming(IN)
    public Uni<Void> onRotation(CredentialRotation rotation) {
        if (rotation != null && !nodeId.equals(rotation.nodeId())) {
            plugins.credentialRotated(rotation.pluginId(), rotation.name(), rotation.version());
        }
        return Uni.createFrom().voidItem();
    }
}
