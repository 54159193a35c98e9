package io.apexagent.host.plugin.process.child;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

import io.apexagent.plugin.ActionChunk;
import io.apexagent.plugin.BasePlugin;
import io.apexagent.plugin.Permission;
import io.apexagent.plugin.PluginConfigurationException;
import io.apexagent.plugin.PluginContext;
import io.apexagent.plugin.PluginCredentials;
import io.apexagent.plugin.PluginEvents;
import io.apexagent.plugin.PluginFiles;
import io.apexagent.plugin.PluginHttp;
import io.apexagent.plugin.PluginInvoker;
import io.apexagent.plugin.PluginLogger;
import io.apexagent.plugin.PluginMetadata;
import io.apexagent.plugin.PluginStateException;
import io.apexagent.plugin.PluginStateStore;
import io.apexagent.plugin.StatefulPlugin;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The {@link PluginContext} of a plugin in a child JVM, built from the {@code initialize} message. Logging
 * goes to stderr (the host forwards it). Everything else is a call of the host's context services
 * ({@code docs/process-protocol.md}): the host runs it through the plugin's host-side context, so its
 * permissions, the operator's policy and the security events apply as for an in-process plugin. State:
 * {@code state().save()} sends the plugin's {@code snapshotState()}; the host restores it with a
 * {@code restore} message. Thread-safe.
 */
final class ChildContext implements PluginContext {

    private final PluginMetadata metadata;
    private final String nodeId;
    private final Map<String, String> config;
    private final Path dataDirectory;
    private final Set<Permission> permissions = EnumSet.noneOf(Permission.class);
    private final HostCalls host;
    private final ChildEvents events;
    private final ChildFiles files;
    private final ChildHttp http;
    private final BasePlugin plugin;

    @SuppressWarnings("unchecked")
    ChildContext(Map<String, Object> initialize, Wire wire, Thread reader, Executor callPool, BasePlugin plugin) {
        this.metadata = Wire.convert(initialize.get("plugin"), PluginMetadata.class);
        this.nodeId = String.valueOf(initialize.get("nodeId"));
        this.config = (Map<String, String>) initialize.getOrDefault("config", Map.of());
        this.dataDirectory = Path.of(String.valueOf(initialize.get("dataDir")));
        for (Object name : (List<Object>) initialize.getOrDefault("permissions", List.of())) {
            Permission.fromManifestName(String.valueOf(name)).ifPresent(permissions::add);
        }
        this.plugin = plugin;
        this.host = new HostCalls(metadata.id(), wire, reader, callPool);
        this.events = new ChildEvents(wire, host, callPool);
        this.files = new ChildFiles(host);
        this.http = new ChildHttp(metadata.id(), host);
    }

    /** Hands an {@code event} message to its subscriber. */
    void deliver(Map<String, Object> message) {
        events.deliver(message);
    }

    /** Completes the call a {@code reply} message answers. */
    void onReply(Map<String, Object> message) {
        host.onReply(message);
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
        return new PluginLogger() {
            @Override
            public void debug(String message) {
                System.err.println("DEBUG " + message);
            }

            @Override
            public void info(String message) {
                System.err.println("INFO " + message);
            }

            @Override
            public void warn(String message) {
                System.err.println("WARN " + message);
            }

            @Override
            public void error(String message, Throwable cause) {
                System.err.println("ERROR " + message + (cause == null ? "" : ": " + cause));
            }
        };
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
        return Set.copyOf(permissions);
    }

    @Override
    public PluginEvents events() {
        return events;
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
    public PluginInvoker plugins() {
        return new PluginInvoker() {
            @Override
            public Uni<Object> invoke(String pluginId, String action, Map<String, Object> params) {
                return host.call("plugins.invoke", Map.of("plugin", pluginId, "action", action,
                        "params", Wire.plain(params == null ? Map.of() : params)));
            }

            @Override
            public Multi<ActionChunk> stream(String pluginId, String action, Map<String, Object> params) {
                return Multi.createFrom().failure(new PluginConfigurationException(metadata.id(), "plugin "
                        + metadata.id() + ": streaming calls to other plugins are not offered out of process; "
                        + "use invoke", null));
            }
        };
    }

    @Override
    public PluginCredentials credentials() {
        return name -> host.call("credentials.get", Map.of("name", name))
                .map(value -> Optional.ofNullable((String) value));
    }

    @Override
    public PluginStateStore state() {
        return () -> {
            if (!(plugin instanceof StatefulPlugin stateful)) {
                return Uni.createFrom().failure(new PluginStateException(metadata.id(), "plugin " + metadata.id()
                        + ": its class does not implement StatefulPlugin, so it has no state to save", null));
            }
            return host.call("state.put", Map.of("state", Wire.plain(stateful.snapshotState()))).replaceWithVoid();
        };
    }
}
