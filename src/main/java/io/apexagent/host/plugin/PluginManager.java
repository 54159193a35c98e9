package io.apexagent.host.plugin;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.apexagent.host.concurrent.DaemonThreads;
import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.config.NodeIdentity;
import io.apexagent.host.events.HostEventBus;
import io.apexagent.host.events.PluginErrorEvent;
import io.apexagent.host.events.PluginEventHub;
import io.apexagent.host.plugin.context.HostPluginContext;
import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.plugin.lifecycle.PluginState;
import io.apexagent.host.plugin.process.ChildProcesses;
import io.apexagent.host.plugin.runtime.ActionDispatcher;
import io.apexagent.host.plugin.runtime.ManagedPlugin;
import io.apexagent.plugin.ActionChunk;
import io.apexagent.plugin.PluginDependencyException;
import io.apexagent.plugin.PluginUnavailableException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vault.VaultKVSecretReactiveEngine;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The one facade over plugins: registry queries, lifecycle operations and action dispatch.
 * Lifecycle operations are serialized on one lifecycle thread (they load code and wait for plugins);
 * action calls never touch that thread: they run on each plugin's own workers. Thread-safe.
 */
@ApplicationScoped
public class PluginManager {

    @Inject
    ApexConfig config;

    @Inject
    NodeIdentity node;

    @Inject
    HostEventBus bus;

    @Inject
    PluginEventHub hub;

    @Inject
    VaultKVSecretReactiveEngine vault;

    @Inject
    ObjectMapper json;

    /** Optional collaborators: code verification (security) and state persistence. */
    @Inject
    jakarta.enterprise.inject.Instance<io.apexagent.host.plugin.loader.PluginCodeVerifier> verifiers;

    @Inject
    jakarta.enterprise.inject.Instance<PluginStateHooks> stateHooks;

    @Inject
    jakarta.enterprise.inject.Instance<HostPluginContext.StateSaves> stateSaves;

    /** Runs the plugins' HTTP client ({@code context.http()}). */
    @Inject
    io.vertx.core.Vertx vertx;

    private final ExecutorService lifecycleThread = DaemonThreads.singleThread("plugin-lifecycle");
    private PluginRegistry registry;
    private PluginRecovery recovery;
    private PluginWatch watchers;
    private ActionDispatcher dispatcher;
    private io.apexagent.host.plugin.runtime.CallLimits limits;

    void onStart(@Observes @Priority(50) StartupEvent event) {
        ChildProcesses.orderlyStopExpected();
        PluginFactory factory = new PluginFactory(config, node.nodeId(), bus::publishLifecycle, bus::publishError,
                new HostPluginContext.Services(bus, hub, vault, new DependencyCallsImpl(),
                        stateSaves.isResolvable() ? stateSaves.get() : HostPluginContext.StateSaves.DISABLED,
                        new io.apexagent.host.plugin.context.HttpTransport(vertx, config.plugins().http())));
        registry = new PluginRegistry(config, factory, node.nodeId(), bus::publishError,
                verifiers.isResolvable() ? verifiers.get() : io.apexagent.host.plugin.loader.PluginCodeVerifier.NONE,
                stateHooks.isResolvable() ? stateHooks.get() : PluginStateHooks.IN_MEMORY);
        limits = new io.apexagent.host.plugin.runtime.CallLimits(config.plugins(), this::breakerOpened);
        dispatcher = new ActionDispatcher(json, config.plugins().defaultTimeout(),
                io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool(), limits);
        // Recovery's own starts must not reset its attempt count (operator operations do): a plugin that keeps
        // failing after each restart waits longer each time.
        recovery = new PluginRecovery(config.plugins().recovery(), this::get,
                (id, reason) -> onLifecycleThread(() -> registry.start(id, reason)));
        registry.onLoadFailure(recovery::failed);
        // Start-up waits for the initial load so that "ready" means the plugins are there.
        onLifecycleThread(() -> {
            registry.rescan(config.plugins().startOnBoot());
            return null;
        }).await().indefinitely();
        if (config.plugins().watch()) {
            watchers = new PluginWatch(config, this::onFolderChange);
        }
    }

    /** A plugin folder was added, changed or removed on disk (apex.plugins.watch). */
    private void onFolderChange(io.apexagent.host.plugin.discovery.PluginDirectoryWatcher.Change change) {
        // <dir>/<id>/ or, with several versions side by side, <dir>/<id>/<version>/
        String folder = change.folder().getFileName().toString();
        String id = io.apexagent.host.plugin.discovery.PluginVersions.isValid(folder)
                ? change.folder().getParent().getFileName().toString() : folder;
        onLifecycleThread(() -> {
            boolean loaded = registry.loaded(id);
            switch (change.kind()) {
                case CHANGED -> {
                    if (loaded) {
                        registry.reload(id, "plugin folder changed on disk");
                    } else {
                        registry.rescan(config.plugins().startOnBoot());
                    }
                }
                case REMOVED -> {
                    if (loaded) {
                        registry.unload(id, "plugin folder removed from disk");
                    }
                    registry.rescan(false);
                }
                default -> registry.rescan(config.plugins().startOnBoot());
            }
            return null;
        }).subscribe().with(ok -> { }, failure -> org.jboss.logging.Logger.getLogger(PluginManager.class)
                .warnf("plugin folder %s changed (%s) but could not be applied: %s", change.folder(), change.kind(),
                        failure.getMessage()));
    }

    /** A serving version's circuit breaker opened (on a call's thread): fail it on the lifecycle thread. */
    private void breakerOpened(ManagedPlugin plugin, String reason) {
        onLifecycleThread(() -> registry.breakerOpened(plugin, reason)).subscribe().with(ok -> { },
                failure -> org.jboss.logging.Logger.getLogger(PluginManager.class).errorf(failure,
                        "plugin %s: could not move to FAILED after its circuit breaker opened", plugin.id()));
    }

    /** @return budgets, retries and breakers of action calls (tests check that no call stays watched) */
    public io.apexagent.host.plugin.runtime.CallLimits callLimits() {
        return limits;
    }

    void onStop(@Observes ShutdownEvent event) {
        try {
            if (watchers != null) {
                watchers.close();
            }
            if (limits != null) {
                limits.close();
            }
            if (recovery != null) {
                recovery.close();
            }
            if (registry != null) {
                onLifecycleThread(() -> {
                    registry.stopAll("host shutting down");
                    return null;
                }).await().atMost(config.plugins().drainTimeout().plusSeconds(10));
            }
            lifecycleThread.shutdown();
        } finally {
            ChildProcesses.orderlyStopDone();
        }
    }

    // --- queries ---------------------------------------------------------------------------------

    /** @return every known plugin, by id */
    public List<PluginSnapshot> list() {
        return registry.snapshots().stream().sorted(Comparator.comparing(PluginSnapshot::id)).toList();
    }

    /** @return one plugin, or {@link PluginNotFoundException} */
    public PluginSnapshot get(String id) {
        return registry.snapshot(id);
    }

    /** @return whether this replica has a plugin of that id (in any state) */
    public boolean exists(String id) {
        return registry.exists(id);
    }

    /**
     * @return the manifest of the version that serves {@code id} (its version, actions and limits), or null for an
     *         unknown plugin; cheaper than {@link #get} for a per-request look-up
     */
    public PluginManifest servingManifest(String id) {
        return registry.servingManifest(id);
    }

    // --- lifecycle operations (serialized) ------------------------------------------------------

    public Uni<PluginSnapshot> load(String id, String reason) {
        return operation(id, () -> registry.load(id, reason));
    }

    public Uni<PluginSnapshot> start(String id, String reason) {
        return operation(id, () -> registry.start(id, reason));
    }

    public Uni<PluginSnapshot> pause(String id, String reason) {
        return operation(id, () -> registry.pause(id, reason));
    }

    public Uni<PluginSnapshot> resume(String id, String reason) {
        return operation(id, () -> registry.resume(id, reason));
    }

    public Uni<PluginSnapshot> stop(String id, String reason) {
        return operation(id, () -> registry.stop(id, reason));
    }

    public Uni<PluginSnapshot> reload(String id, String reason) {
        return operation(id, () -> registry.reload(id, reason));
    }

    public Uni<PluginSnapshot> unload(String id, String reason) {
        return operation(id, () -> registry.unload(id, reason));
    }

    /** Scans the plugin directories again: new plugins appear, changed ones can be reloaded. */
    public Uni<List<PluginSnapshot>> rescan() {
        return onLifecycleThread(() -> {
            registry.rescan(config.plugins().startOnBoot());
            return list();
        });
    }

    // --- security notifications --------------------------------------------------------------------

    /**
     * Tells the loaded version of a plugin that one of its credentials has a new version, when it is a
     * {@link io.apexagent.plugin.SecurityAwarePlugin}: on its own workers, with its class loader current.
     *
     * @return true when a plugin was notified
     */
    public boolean credentialRotated(String pluginId, String name, int version) {
        ManagedPlugin plugin = registry.withCode(pluginId);
        if (plugin == null || !(plugin.instance() instanceof io.apexagent.plugin.SecurityAwarePlugin aware)) {
            return false;
        }
        try {
            plugin.workers().execute(() -> {
                try (var swap = io.apexagent.host.plugin.loader.LoaderSwap.to(plugin.classLoader())) {
                    aware.onCredentialRotated(name, version);
                } catch (RuntimeException e) {
                    rotationNotDelivered(plugin, name, version, "onCredentialRotated failed: " + e);
                }
            });
            return true;
        } catch (PluginUnavailableException e) {
            // The workers refuse it as busy (or closed); the credential is written either way, and the plugin reads
            // the new value on its next get.
            rotationNotDelivered(plugin, name, version, "its workers are busy or closed");
            return false;
        }
    }

    private void rotationNotDelivered(ManagedPlugin plugin, String name, int version, String why) {
        bus.publishError(new PluginErrorEvent(plugin.id(), plugin.version(), "credential_rotation", null,
                "plugin " + plugin.id() + " was not told that credential '" + name + "' is now version " + version
                        + ": " + why, node.nodeId(), java.time.Instant.now()));
    }

    // --- actions ---------------------------------------------------------------------------------

    /** Runs a non-streaming action on the serving version of a plugin. */
    public Uni<ActionResult> execute(String pluginId, String action, Map<String, Object> maybeParams) {
        Map<String, Object> params = maybeParams == null ? Map.of() : maybeParams;
        return Uni.createFrom().deferred(() -> {
            ManagedPlugin plugin = admitChecked(pluginId, action, params, false);
            return dispatcher.execute(plugin, action, params)
                    .map(result -> new ActionResult(pluginId, plugin.version(), action, result));
        }).onFailure().invoke(e -> reportError(pluginId, action, e));
    }

    /** Streams a streaming action of the serving version of a plugin. */
    public Multi<ActionChunk> stream(String pluginId, String action, Map<String, Object> maybeParams) {
        Map<String, Object> params = maybeParams == null ? Map.of() : maybeParams;
        return Multi.createFrom().deferred(() -> {
            ManagedPlugin plugin = admitChecked(pluginId, action, params, true);
            return dispatcher.stream(plugin, action, params);
        }).onFailure().invoke(e -> reportError(pluginId, action, e));
    }

    /**
     * Checks now what a call would be refused for (unknown plugin or action, not ACTIVE, parameters), without
     * running it; a refusal is reported like a failed call. For callers that must answer before the call runs,
     * such as an event stream whose status is sent first.
     */
    public void requireCallable(String pluginId, String action, Map<String, Object> maybeParams, boolean streaming) {
        try {
            admitChecked(pluginId, action, maybeParams == null ? Map.of() : maybeParams, streaming).calls().exit();
        } catch (RuntimeException e) {
            reportError(pluginId, action, e);
            throw e;
        }
    }

    private ManagedPlugin admitChecked(String pluginId, String action, Map<String, Object> params, boolean streaming) {
        ManagedPlugin admitted = registry.admit(pluginId);
        try {
            dispatcher.check(admitted, action, params, streaming);
            return admitted;
        } catch (RuntimeException e) {
            admitted.calls().exit();
            throw e;
        }
    }

    private void reportError(String pluginId, String action, Throwable e) {
        bus.publishError(new PluginErrorEvent(pluginId, registry.versionOf(pluginId),
                io.apexagent.plugin.PluginException.errorTypeOf(e), action, e.getMessage(),
                node.nodeId(), java.time.Instant.now()));
    }

    private Uni<PluginSnapshot> operation(String id, java.util.function.Supplier<PluginSnapshot> op) {
        return onLifecycleThread(op::get).invoke(() -> {
            if (recovery != null && get(id).state() != PluginState.FAILED) {
                recovery.reset(id);
            }
        });
    }

    private <T> Uni<T> onLifecycleThread(java.util.concurrent.Callable<T> op) {
        return Uni.createFrom().item(() -> {
            try {
                return op.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).runSubscriptionOn(lifecycleThread);
    }

    /** Inter-plugin calls: allowed only to declared dependencies. */
    private final class DependencyCallsImpl implements HostPluginContext.DependencyCalls {
        @Override
        public Uni<Object> invoke(String callerId, String pluginId, String action, Map<String, Object> params) {
            requireDeclared(callerId, pluginId);
            // The caller's code continues on a host thread, never on the callee's workers.
            return execute(pluginId, action, params).map(ActionResult::result).emitOn(dispatcher.hostExecutor());
        }

        @Override
        public Multi<ActionChunk> stream(String callerId, String pluginId, String action, Map<String, Object> params) {
            requireDeclared(callerId, pluginId);
            return PluginManager.this.stream(pluginId, action, params);
        }

        private void requireDeclared(String callerId, String pluginId) {
            if (!registry.declaresDependency(callerId, pluginId)) {
                throw new io.apexagent.plugin.PluginSecurityException(callerId, "plugin " + callerId + " may not call "
                        + pluginId + ": it is not declared in manifest.json dependencies.plugins", null);
            }
        }
    }

    static PluginUnavailableException unavailable(String id, String why) {
        return new PluginUnavailableException(id, "plugin " + id + " cannot serve: " + why, null);
    }

    static PluginDependencyException dependency(String id, String why) {
        return new PluginDependencyException(id, why, null);
    }
}
