package io.apexagent.host.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.apexagent.host.concurrent.OnePassAtATime;
import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.config.NodeIdentity;
import io.apexagent.host.plugin.PluginManager;
import io.apexagent.host.plugin.PluginSnapshot;
import io.apexagent.host.plugin.lifecycle.PluginState;
import io.apexagent.plugin.PluginException;
import io.apexagent.plugin.PluginLifecycleException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Cluster-wide lifecycle operations. An admin call on one replica is stored as desired state, applied
 * there, and published on {@code apex.plugin.commands}; every other replica applies it when it reads
 * the command, and a replica that starts later applies the stored desired state after its first load.
 * Every {@code apex.cluster.converge-interval} each replica also applies the stored changes it has not applied
 * yet (a newer revision of a plugin's row), so a command the broker lost still reaches every replica. A change is
 * applied once per revision: a plugin that cannot be brought to it is logged, not retried at every pass. The stored
 * state is running, paused or stopped: a lost {@code reload} is not stored, and a lost {@code unload} converges to
 * stopped.
 */
@ApplicationScoped
public class ClusterCommands {

    /** Operations that apply to every replica. */
    public static final List<String> OPERATIONS = List.of("start", "stop", "pause", "resume", "reload", "unload");
    public static final String OUT = "plugin-commands-out";
    public static final String IN = "plugin-commands-in";

    private static final Logger LOG = Logger.getLogger(ClusterCommands.class);
    /** Longest convergence pass: plugin starts included, as at start. */
    private static final Duration LONGEST_CONVERGENCE = Duration.ofMinutes(2);

    private final PluginManager plugins;
    private final DesiredStates desired;
    private final MutinyEmitter<ClusterCommand> commands;
    private final String nodeId;
    private final OnePassAtATime passes;
    /** The revision of each plugin's desired state this replica last applied. */
    private final Map<String, Long> applied = new ConcurrentHashMap<>();

    ClusterCommands(PluginManager plugins, DesiredStates desired, @Channel(OUT) MutinyEmitter<ClusterCommand> commands,
            NodeIdentity node, ApexConfig config) {
        this.plugins = plugins;
        this.desired = desired;
        this.commands = commands;
        this.nodeId = node.nodeId();
        this.passes = new OnePassAtATime(LOG, config.cluster().convergeInterval(), LONGEST_CONVERGENCE);
    }

    /** Applies an operation here and on every replica; the answer is this replica's result. */
    public Uni<PluginSnapshot> apply(String pluginId, String operation, String reason) {
        ClusterCommand command = new ClusterCommand(UUID.randomUUID().toString(), pluginId, operation, reason, nodeId,
                Instant.now());
        plugins.get(pluginId); // unknown plugin: 404 before anything is stored or sent
        return storeIntent(command)
                .onFailure().recoverWithUni(e -> {
                    // The operation still applies here and on the running replicas; only a replica that starts
                    // later will not know of it.
                    LOG.warnf("desired state of %s not stored (%s): replicas that start later will not apply '%s'",
                            pluginId, e.getMessage(), operation);
                    return Uni.createFrom().voidItem();
                })
                .chain(() -> applyLocally(command))
                .invoke(() -> broadcast(command));
    }

    /** Sends the command to the other replicas; the admin call does not wait for Kafka (which may be away). */
    private void broadcast(ClusterCommand command) {
        commands.sendMessage(Message.of(command).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(command.pluginId()).build()))
                .subscribe().with(ok -> { }, failure -> LOG.errorf("cluster command %s %s not sent to the other "
                        + "replicas: %s", command.operation(), command.pluginId(), failure.getMessage()));
    }

    /** Commands of the other replicas. */
    @Incoming(IN)
    public Uni<Void> onCommand(ClusterCommand command) {
        if (command == null || nodeId.equals(command.nodeId())) {
            return Uni.createFrom().voidItem();
        }
        return applyLocally(command)
                .onFailure().invoke(e -> LOG.warnf("cluster command %s %s from %s not applied here: %s",
                        command.operation(), command.pluginId(), command.nodeId(), e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * After the first load at start (and once messaging is wired), converge on the stored desired state; then, at
     * every interval, on its changes since.
     */
    void converge(@Observes @Priority(3000) StartupEvent event) {
        convergeOnChanges().await().atMost(LONGEST_CONVERGENCE);
        passes.every(this::convergeOnChanges, () -> "applying the stored desired state");
    }

    void stop(@Observes ShutdownEvent event) {
        passes.stop();
    }

    /**
     * Applies each plugin's desired state whose revision this replica has not applied yet. Each is read again just
     * before it is applied, so that a pass working through many plugins never applies a revision older than one a
     * command brought meanwhile. A plugin this replica does not have is looked at again at the next pass.
     */
    private Uni<Void> convergeOnChanges() {
        return desired.all()
                .onItem().transformToMulti(states -> Multi.createFrom().iterable(states))
                .select().where(state -> !Long.valueOf(state.revision()).equals(applied.get(state.pluginId()))
                        && plugins.exists(state.pluginId()))
                .onItem().transformToUniAndConcatenate(state -> desired.of(state.pluginId()))
                .select().where(java.util.Optional::isPresent).map(java.util.Optional::get)
                .onItem().transformToUniAndConcatenate(latest -> converge(latest)
                        .invoke(() -> applied.put(latest.pluginId(), latest.revision())))
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> converge(DesiredStates.DesiredState state) {
        PluginSnapshot snapshot;
        try {
            snapshot = plugins.get(state.pluginId());
        } catch (PluginException e) {
            return Uni.createFrom().voidItem(); // desired state of a plugin this replica does not have
        }
        String reason = "desired state of the cluster";
        Uni<PluginSnapshot> op;
        if (!state.enabled()) {
            op = running(snapshot) ? plugins.stop(state.pluginId(), reason) : Uni.createFrom().item(snapshot);
        } else if (state.paused()) {
            op = snapshot.state() == PluginState.ACTIVE ? plugins.pause(state.pluginId(), reason)
                    : Uni.createFrom().item(snapshot);
        } else {
            op = snapshot.state() == PluginState.ACTIVE ? Uni.createFrom().item(snapshot)
                    : plugins.start(state.pluginId(), reason);
        }
        return op.onFailure().invoke(e -> LOG.warnf("plugin %s: cannot apply the desired state here: %s",
                state.pluginId(), e.getMessage())).onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Void> storeIntent(ClusterCommand c) {
        String by = c.nodeId() + ": " + c.reason();
        return switch (c.operation()) {
            case "start", "resume" -> desired.save(c.pluginId(), true, false, by);
            case "pause" -> desired.save(c.pluginId(), true, true, by);
            case "stop", "unload" -> desired.save(c.pluginId(), false, false, by);
            case "reload" -> Uni.createFrom().voidItem();
            default -> Uni.createFrom().failure(new PluginLifecycleException(c.pluginId(),
                    "unknown cluster operation '" + c.operation() + "'; expected one of " + OPERATIONS, null));
        };
    }

    private Uni<PluginSnapshot> applyLocally(ClusterCommand c) {
        String reason = c.reason() + (c.nodeId().equals(nodeId) ? "" : " (cluster command from " + c.nodeId() + ")");
        return switch (c.operation()) {
            case "start" -> plugins.start(c.pluginId(), reason);
            case "stop" -> plugins.stop(c.pluginId(), reason);
            case "pause" -> plugins.pause(c.pluginId(), reason);
            case "resume" -> plugins.resume(c.pluginId(), reason);
            case "reload" -> plugins.reload(c.pluginId(), reason);
            case "unload" -> plugins.unload(c.pluginId(), reason);
            default -> Uni.createFrom().failure(new PluginLifecycleException(c.pluginId(),
                    "unknown cluster operation '" + c.operation() + "'", null));
        };
    }

    private static boolean running(PluginSnapshot s) {
        return s.state() == PluginState.ACTIVE || s.state() == PluginState.PAUSED || s.state() == PluginState.INITIALIZED;
    }
}
