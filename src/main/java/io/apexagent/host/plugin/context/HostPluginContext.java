package io.apexagent.host.plugin.context;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import io.apexagent.host.events.HostEventBus;
import io.apexagent.host.events.PluginEventHub;
import io.apexagent.host.security.OperatorPolicy;
import io.apexagent.host.security.PluginGrants;
import io.apexagent.host.security.credentials.CredentialNames;
import io.apexagent.plugin.ActionChunk;
import io.apexagent.plugin.Permission;
import io.apexagent.plugin.PluginContext;
import io.apexagent.plugin.PluginCredentials;
import io.apexagent.plugin.PluginEvent;
import io.apexagent.plugin.PluginEvents;
import io.apexagent.plugin.PluginFiles;
import io.apexagent.plugin.PluginHttp;
import io.apexagent.plugin.PluginInvoker;
import io.apexagent.plugin.PluginLogger;
import io.apexagent.plugin.PluginMetadata;
import io.apexagent.plugin.PluginStateException;
import io.apexagent.plugin.PluginStateStore;
import io.quarkus.vault.VaultKVSecretReactiveEngine;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The {@link PluginContext} of one loaded plugin version: every service checks the effective
 * permissions through its {@link PermissionGuard}. Thread-safe.
 */
public final class HostPluginContext implements PluginContext {

    private final PluginMetadata metadata;
    private final String nodeId;
    private final Map<String, String> config;
    private final Path dataDirectory;
    private final PermissionGuard guard;
    private final PluginLogger logger;
    private final PluginFiles files;
    private final PluginHttp http;
    private final Services services;
    private final Executor workers;

    /** What the context needs from the rest of the host. */
    public record Services(HostEventBus bus, PluginEventHub hub, VaultKVSecretReactiveEngine vault,
            DependencyCalls calls, StateSaves state, HttpTransport http) {
    }

    /** On-demand saves of one plugin version's state (a CDI bean when persistence is enabled). */
    public interface StateSaves {
        /** @return completes once the snapshot taken now is stored */
        Uni<Void> save(String pluginId, String version);

        /** No persistence: every save fails, saying so. */
        StateSaves DISABLED = (pluginId, version) -> Uni.createFrom().failure(new PluginStateException(pluginId,
                "state persistence is not enabled on this host", null));
    }

    /** Calls into other plugins, limited by the caller's declared dependencies. */
    public interface DependencyCalls {
        Uni<Object> invoke(String callerId, String pluginId, String action, Map<String, Object> params);

        Multi<ActionChunk> stream(String callerId, String pluginId, String action, Map<String, Object> params);
    }

    public HostPluginContext(PluginMetadata metadata, String nodeId, Map<String, String> config, Path dataDirectory,
            PermissionGuard guard, Executor workers, Services services) {
        this.metadata = metadata;
        this.nodeId = nodeId;
        this.config = Map.copyOf(config);
        this.dataDirectory = dataDirectory;
        this.guard = guard;
        this.workers = workers;
        this.services = services;
        this.logger = new PluginLoggerAdapter(metadata.id(), metadata.version());
        this.files = new ConfinedPluginFiles(dataDirectory, guard,
                PluginGrants.policyOf(metadata.id()).allowedPaths());
        // Continuations run on a worker, not on the HTTP client's threads.
        OperatorPolicy.Rules policy = PluginGrants.policyOf(metadata.id());
        this.http = new GuardedPluginHttp(metadata.id(), guard, policy.allowedHosts(),
                policy.internalAddresses().orElse(services.http().limits().allowInternalAddresses()), services.http(),
                Infrastructure.getDefaultExecutor());
    }

    @Override
    public PluginMetadata metadata() {
        return metadata;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public PluginLogger logger() {
        return logger;
    }

    @Override
    public Map<String, String> config() {
        return config;
    }

    @Override
    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public Set<Permission> grantedPermissions() {
        return guard.granted();
    }

    @Override
    public PluginFiles files() {
        return files;
    }

    @Override
    public PluginHttp http() {
        return http;
    }

    @Override
    public PluginEvents events() {
        return new PluginEvents() {
            @Override
            public Uni<Void> publish(String type, Map<String, Object> data) {
                guard.require(Permission.EVENT_PUBLISH, "publish event " + type);
                services.bus().publishPluginEvent(
                        new PluginEvent(UUID.randomUUID().toString(), type, metadata.id(), Instant.now(), data));
                return Uni.createFrom().voidItem();
            }

            @Override
            public AutoCloseable subscribe(String type, Consumer<PluginEvent> handler) {
                guard.require(Permission.EVENT_SUBSCRIBE, "subscribe to event " + type);
                return services.hub().subscribe(metadata.id(), type, workers, handler);
            }
        };
    }

    @Override
    public PluginInvoker plugins() {
        return new PluginInvoker() {
            @Override
            public Uni<Object> invoke(String pluginId, String action, Map<String, Object> params) {
                guard.require(Permission.PLUGIN_INVOKE, "call " + pluginId + "." + action);
                return services.calls().invoke(metadata.id(), pluginId, action, params);
            }

            @Override
            public Multi<ActionChunk> stream(String pluginId, String action, Map<String, Object> params) {
                guard.require(Permission.PLUGIN_INVOKE, "call " + pluginId + "." + action);
                return services.calls().stream(metadata.id(), pluginId, action, params);
            }
        };
    }

    @Override
    public PluginCredentials credentials() {
        return name -> {
            guard.require(Permission.CREDENTIAL_ACCESS, "read credential " + name);
            String problem = CredentialNames.problemWithName(name);
            if (problem != null) {
                guard.deny(problem);
            }
            // The path is built here, from this plugin's own id: a plugin cannot name another's path.
            return services.vault().readSecret(CredentialPaths.of(metadata.id(), name))
                    .map(data -> Optional.ofNullable(data.get(CredentialPaths.VALUE_FIELD)))
                    .onFailure(CredentialPaths::isNotFound).recoverWithItem(Optional.empty());
        };
    }

    @Override
    public PluginStateStore state() {
        return () -> {
            guard.require(Permission.STATE_ACCESS, "save its state");
            // Continuations run on a worker, not on the event loop that completes the database write.
            return services.state().save(metadata.id(), metadata.version())
                    .emitOn(Infrastructure.getDefaultExecutor());
        };
    }
}
