package io.apexagent.host.plugin.process.child;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.apexagent.plugin.Permission;
import io.apexagent.plugin.PluginConfigurationException;
import io.apexagent.plugin.PluginContext;
import io.apexagent.plugin.PluginCredentials;
import io.apexagent.plugin.PluginEvent;
import io.apexagent.plugin.PluginEvents;
import io.apexagent.plugin.PluginFiles;
import io.apexagent.plugin.PluginInvoker;
import io.apexagent.plugin.PluginLogger;
import io.apexagent.plugin.PluginMetadata;
import io.apexagent.plugin.PluginStateStore;
import io.smallrye.mutiny.Uni;

/**
 * The {@link PluginContext} of a plugin in a child JVM, built from the {@code initialize} message. Logging
 * goes to stderr (the host forwards it), events travel as {@code publish} / {@code event} messages (the host
 * checks event_publish). Files, credentials, other plugins and stored state are not reachable through
 * protocol version 1: asking for them fails with a clear error. Thread-safe.
 */
final class ChildContext implements PluginContext {

    private final PluginMetadata metadata;
    private final String nodeId;
    private final Map<String, String> config;
    private final Path dataDirectory;
    private final Set<Permission> permissions = EnumSet.noneOf(Permission.class);
    private final Wire wire;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    private record Subscription(String type, Consumer<PluginEvent> handler) {
    }

    @SuppressWarnings("unchecked")
    ChildContext(Map<String, Object> initialize, Wire wire) {
        this.wire = wire;
        this.metadata = Wire.convert(initialize.get("plugin"), PluginMetadata.class);
        this.nodeId = String.valueOf(initialize.get("nodeId"));
        this.config = (Map<String, String>) initialize.getOrDefault("config", Map.of());
        this.dataDirectory = Path.of(String.valueOf(initialize.get("dataDir")));
        for (Object name : (List<Object>) initialize.getOrDefault("permissions", List.of())) {
            Permission.fromManifestName(String.valueOf(name)).ifPresent(permissions::add);
        }
    }

    /** Hands an event the host delivered to the matching subscribers. */
    @SuppressWarnings("unchecked")
    void deliver(Object event) {
        Map<String, Object> m = (Map<String, Object>) event;
        PluginEvent e = new PluginEvent(String.valueOf(m.get("id")), String.valueOf(m.get("type")),
                String.valueOf(m.get("source")), Instant.parse(String.valueOf(m.get("time"))),
                (Map<String, Object>) m.get("data"));
        subscriptions.stream().filter(s -> s.type().equals(e.type())).forEach(s -> s.handler().accept(e));
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
        return new PluginEvents() {
            @Override
            public Uni<Void> publish(String type, Map<String, Object> data) {
                return Uni.createFrom().voidItem().invoke(() -> {
                    try {
                        wire.send(Map.of("type", "publish", "eventType", type, "data", Wire.plain(data),
                                "time", Instant.now().toString()));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException("the host is gone; event " + type + " not sent", e);
                    }
                });
            }

            @Override
            public AutoCloseable subscribe(String type, Consumer<PluginEvent> handler) {
                Subscription s = new Subscription(type, handler);
                subscriptions.add(s);
                return () -> subscriptions.remove(s);
            }
        };
    }

    @Override
    public PluginFiles files() {
        throw unavailable("files (use the data directory " + dataDirectory + " directly)");
    }

    @Override
    public PluginInvoker plugins() {
        throw unavailable("calls to other plugins");
    }

    @Override
    public PluginCredentials credentials() {
        throw unavailable("credentials");
    }

    @Override
    public PluginStateStore state() {
        throw unavailable("stored state");
    }

    private PluginConfigurationException unavailable(String what) {
        return new PluginConfigurationException(metadata.id(), "plugin " + metadata.id() + ": " + what
                + " cannot be reached from an out-of-process plugin with protocol version " + Wire.VERSION, null);
    }
}
