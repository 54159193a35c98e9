package io.apexagent.host.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.events.PluginErrorEvent;
import io.apexagent.host.plugin.context.HostPluginContext;
import io.apexagent.host.plugin.context.PermissionGuard;
import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.plugin.lifecycle.LifecycleEvent;
import io.apexagent.host.plugin.lifecycle.PluginLifecycle;
import io.apexagent.host.plugin.runtime.ManagedPlugin;
import io.apexagent.host.plugin.runtime.PluginWorkers;
import io.apexagent.plugin.ActionDescriptor;
import io.apexagent.plugin.Permission;
import io.apexagent.plugin.PluginMetadata;

/** Builds the host-side parts of one plugin version: lifecycle, workers, grant and context. */
final class PluginFactory {

    private final ApexConfig config;
    private final String nodeId;
    private final java.util.function.Consumer<LifecycleEvent> lifecycleEvents;
    private final java.util.function.Consumer<PluginErrorEvent> errors;
    private final HostPluginContext.Services services;

    PluginFactory(ApexConfig config, String nodeId, java.util.function.Consumer<LifecycleEvent> lifecycleEvents,
            java.util.function.Consumer<PluginErrorEvent> errors, HostPluginContext.Services services) {
        this.config = config;
        this.nodeId = nodeId;
        this.lifecycleEvents = lifecycleEvents;
        this.errors = errors;
        this.services = services;
    }

    /** @return a new lifecycle (state DISCOVERED) for one version */
    PluginLifecycle lifecycle(PluginManifest manifest) {
        return new PluginLifecycle(manifest.id(), manifest.version(), nodeId, lifecycleEvents, Clock.systemUTC());
    }

    /** @return a managed plugin with its own workers, not loaded yet */
    ManagedPlugin create(PluginManifest manifest, PluginLifecycle lifecycle) {
        int threads = manifest.limits().maxConcurrency() > 0 ? manifest.limits().maxConcurrency()
                : config.plugins().defaultMaxConcurrency();
        PluginWorkers workers = new PluginWorkers(manifest.id(), manifest.version(), threads, config.plugins().queueSize(),
                java.time.Duration.ofNanos(config.plugins().workerSpinMicros() * 1_000L));
        return new ManagedPlugin(manifest, lifecycle, workers);
    }

    /** @return the context handed to the plugin's {@code initialize} */
    HostPluginContext context(ManagedPlugin plugin) {
        PluginManifest m = plugin.manifest();
        PermissionGuard guard = new PermissionGuard(m.id(), grantOf(m), denial -> errors.accept(new PluginErrorEvent(
                m.id(), m.version(), denial.errorType(), null, denial.getMessage(), nodeId, java.time.Instant.now())));
        return new HostPluginContext(metadataOf(m), nodeId, config.pluginConfig().getOrDefault(m.id(), Map.of()),
                dataDirectory(m.id()), guard, plugin.workers(), services);
    }

    /**
     * Subscribes an {@link io.apexagent.plugin.EventDrivenPlugin} to its declared event types; events reach
     * it on its own workers, with its class loader current, while it is ACTIVE.
     */
    void subscribeEvents(ManagedPlugin plugin) {
        if (!(plugin.instance() instanceof io.apexagent.plugin.EventDrivenPlugin listener)) {
            return;
        }
        if (!grantOf(plugin.manifest()).contains(Permission.EVENT_SUBSCRIBE)) {
            throw new io.apexagent.plugin.PluginSecurityException(plugin.id(), "plugin " + plugin.id()
                    + " subscribes to events " + listener.subscriptions() + " but permission event_subscribe is not granted",
                    null);
        }
        for (String type : listener.subscriptions()) {
            plugin.addSubscription(services.hub().subscribe(plugin.id(), type, plugin.workers(), event -> {
                if (plugin.lifecycle().state() != io.apexagent.host.plugin.lifecycle.PluginState.ACTIVE) {
                    return;
                }
                try (var swap = io.apexagent.host.plugin.loader.LoaderSwap.to(plugin.classLoader())) {
                    listener.onEvent(event).subscribe().with(
                            ok -> { },
                            failure -> errors.accept(new PluginErrorEvent(plugin.id(), plugin.version(), "event",
                                    null, "onEvent(" + event.type() + ") failed: " + failure, nodeId,
                                    java.time.Instant.now())));
                }
            }));
        }
    }

    /** @return the effective grant: the manifest's declared permissions (an operator policy may narrow it) */
    static Set<Permission> grantOf(PluginManifest manifest) {
        return io.apexagent.host.security.PluginGrants.of(manifest); // the same grant the load-time scan checks
    }

    static PluginMetadata metadataOf(PluginManifest m) {
        List<ActionDescriptor> actions = m.actions().stream()
                .map(a -> new ActionDescriptor(a.name(), a.description(), String.valueOf(a.parametersSchema()),
                        String.valueOf(a.returnsSchema()), a.streamingSupported()))
                .toList();
        return new PluginMetadata(m.id(), m.name(), m.version(), m.description(), m.author(), actions);
    }

    private Path dataDirectory(String pluginId) {
        Path dir = Path.of(config.plugins().dataDir()).toAbsolutePath().resolve(pluginId);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir + " of plugin " + pluginId
                    + " (apex.plugins.data-dir)", e);
        }
        return dir;
    }
}
