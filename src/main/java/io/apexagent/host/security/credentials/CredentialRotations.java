package io.apexagent.host.security.credentials;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.apexagent.host.config.NodeIdentity;
import io.apexagent.host.messaging.events.EventForwarder;
import io.apexagent.host.plugin.PluginManager;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Tells {@code SecurityAwarePlugin}s about new credential versions on every replica: the local plugin
 * at once, the other replicas through {@code apex.plugin.credentials} (each reads all of it). A notice the
 * broker does not acknowledge within its delivery time-out (an outage of more than 15 min) is sent again,
 * with pauses from 5 s doubling to 5 min, for as long as this replica runs; it is lost only if this replica
 * stops first, or if the broker refuses it for good. Thread-safe.
 */
@ApplicationScoped
public class CredentialRotations {

    public static final String OUT = "credential-rotations-out";
    public static final String IN = "credential-rotations-in";

    private static final Logger LOG = Logger.getLogger(CredentialRotations.class);

    /** Whoever is told of a rotation on this replica: its plugin manager. */
    @FunctionalInterface
    interface Listener {
        void rotated(String pluginId, String name, int version);
    }

    private final Listener plugins;
    private final Function<Message<CredentialRotation>, Uni<Void>> out;
    private final String nodeId;
    private final Duration firstResendPause;
    /** The newest version told to the plugin here, by plugin id and credential name. */
    private final Map<String, Integer> newest = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    @Inject
    CredentialRotations(PluginManager plugins, @Channel(OUT) MutinyEmitter<CredentialRotation> out, NodeIdentity node) {
        this(plugins::credentialRotated, out::sendMessage, node.nodeId(), Duration.ofSeconds(5));
    }

    /**
     * @param out              sends a notice to the other replicas; completes once the broker acknowledged it
     * @param firstResendPause pause before the first resend, doubling up to sixty times it
     */
    CredentialRotations(Listener plugins, Function<Message<CredentialRotation>, Uni<Void>> out, String nodeId,
            Duration firstResendPause) {
        this.plugins = plugins;
        this.out = out;
        this.nodeId = nodeId;
        this.firstResendPause = firstResendPause;
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Tells the plugin here, then the other replicas; the write does not wait for Kafka. */
    void rotated(String pluginId, String name, int version) {
        newer(pluginId, name, version);
        plugins.rotated(pluginId, name, version);
        CredentialRotation rotation = new CredentialRotation(pluginId, name, version, nodeId, Instant.now());
        Uni.createFrom().deferred(() -> out.apply(Message.of(rotation).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(pluginId).build())))
                .onFailure(this::worthSendingAgain).invoke(failure -> LOG.warnf("rotation of credential '%s' of "
                        + "plugin %s not acknowledged by Kafka (%s): sending it again", name, pluginId,
                        failure.getMessage()))
                .onFailure(this::worthSendingAgain).retry()
                .withBackOff(firstResendPause, firstResendPause.multipliedBy(60)).indefinitely()
                .subscribe().with(ok -> { }, failure -> LOG.errorf("rotation of credential '%s' of plugin %s not sent"
                        + " to the other replicas (they serve the new value but are not told): %s", name, pluginId,
                        failure.getMessage()));
    }

    /** The broker away or slow, and this replica still running: not a refusal of the notice itself. */
    private boolean worthSendingAgain(Throwable failure) {
        return !stopping && EventForwarder.worthSendingAgain(failure);
    }

    /**
     * Rotations written on other replicas. One that is not newer than what the plugin here was told (a notice sent
     * again after an outage, arriving after a later one) is dropped: the plugin never goes back to an older version.
     */
    @Incoming(IN)
    public Uni<Void> onRotation(CredentialRotation rotation) {
        if (rotation != null && !nodeId.equals(rotation.nodeId())
                && newer(rotation.pluginId(), rotation.name(), rotation.version())) {
            plugins.rotated(rotation.pluginId(), rotation.name(), rotation.version());
        }
        return Uni.createFrom().voidItem();
    }

    /** @return whether {@code version} is newer than any told here before; it is then the newest */
    private boolean newer(String pluginId, String name, int version) {
        int[] before = {0};
        newest.compute(pluginId + '\u0000' + name, (key, known) -> {
            before[0] = known == null ? 0 : known;
            return Math.max(before[0], version);
        });
        return version > before[0];
    }
}
