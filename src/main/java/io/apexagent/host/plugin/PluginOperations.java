package io.apexagent.host.plugin;

import static io.apexagent.host.plugin.lifecycle.PluginState.ACTIVE;
import static io.apexagent.host.plugin.lifecycle.PluginState.FAILED;
import static io.apexagent.host.plugin.lifecycle.PluginState.INITIALIZED;
import static io.apexagent.host.plugin.lifecycle.PluginState.LOADED;
import static io.apexagent.host.plugin.lifecycle.PluginState.PAUSED;
import static io.apexagent.host.plugin.lifecycle.PluginState.STOPPED;
import static io.apexagent.host.plugin.lifecycle.PluginState.STOPPING;
import static io.apexagent.host.plugin.lifecycle.PluginState.UNLOADED;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.plugin.lifecycle.PluginLifecycle;
import io.apexagent.host.plugin.lifecycle.PluginState;
import io.apexagent.host.plugin.loader.LoaderSwap;
import io.apexagent.host.plugin.loader.PluginLoader;
import io.apexagent.host.plugin.runtime.ManagedPlugin;
import io.apexagent.plugin.PluginException;
import io.apexagent.plugin.PluginInitializationException;
import io.apexagent.plugin.PluginLifecycleException;
import io.apexagent.plugin.PluginTransientException;
import io.apexagent.plugin.SecurityAwarePlugin;
import io.smallrye.mutiny.Uni;

/**
 * The lifecycle operations on one plugin version: load, initialize, start, pause, resume, stop,
 * unload and the swap of a reload. Blocking by design: the manager runs them one at a time on its
 * lifecycle thread (never on an event loop), so two operations never race on one plugin.
 */
final class PluginOperations {

    private static final Logger LOG = Logger.getLogger(PluginOperations.class);
    private static final Set<PluginState> LOADED_STATES = EnumSet.of(LOADED, INITIALIZED, ACTIVE, PAUSED, STOPPED);

    private final ApexConfig config;
    private final PluginFactory factory;
    private final PluginLoader loader;
    private final PluginStateHooks state;

    PluginOperations(ApexConfig config, PluginFactory factory, PluginLoader loader, PluginStateHooks state) {
        this.config = config;
        this.factory = factory;
        this.loader = loader;
        this.state = state;
    }

    /** Loads the code of {@code manifest} and initializes it, reusing {@code lifecycle} when given. */
    ManagedPlugin loadAndInitialize(PluginManifest manifest, PluginLifecycle lifecycle, String reason) {
        ManagedPlugin plugin = factory.create(manifest, lifecycle != null ? lifecycle : factory.lifecycle(manifest));
        loadCode(plugin, reason);
        initialize(plugin);
        return plugin;
    }

    /** Loads (or re-instantiates, after a stop) the plugin's code: → LOADED. */
    void loadCode(ManagedPlugin plugin, String reason) {
        try {
            if (plugin.loaded() != null) {
                // Started again after a stop: a fresh instance from fresh code.
                plugin.loaded().close();
                plugin.loaded(null);
            }
            plugin.loaded(loader.load(plugin.manifest()));
            plugin.lifecycle().transition(LOADED, reason);
            plugin.calls().reopen();
        } catch (PluginLifecycleException e) {
            throw e;
        } catch (PluginException e) {
            fail(plugin, e);
            throw e;
        } catch (RuntimeException | LinkageError e) {
            PluginInitializationException wrapped = new PluginInitializationException(plugin.id(),
                    "plugin " + plugin.id() + " " + plugin.version() + " could not be loaded: " + e, e);
            fail(plugin, wrapped);
            throw wrapped;
        }
    }

    /** Calls {@code initialize(context)}, retrying transient failures with backoff: → INITIALIZED. */
    void initialize(ManagedPlugin plugin) {
        int attempts = Math.max(1, config.plugins().initializeAttempts());
        Duration pause = config.plugins().initializeBackoff();
        for (int attempt = 1;; attempt++) {
            try {
                callPlugin(plugin, p -> {
                    if (p instanceof SecurityAwarePlugin aware) {
                        aware.onPermissionsGranted(PluginFactory.grantOf(plugin.manifest()));
                    }
                    return p.initialize(factory.context(plugin));
                }, config.plugins().initializeTimeout(), "initialize");
                restoreState(plugin);
                plugin.lifecycle().transition(INITIALIZED, "initialized");
                return;
            } catch (PluginTransientException e) {
                if (attempt >= attempts) {
                    throw failed(plugin, "initialize failed " + attempts + " times with transient errors; last: "
                            + e.getMessage(), e);
                }
                LOG.infof("plugin %s %s: transient initialize failure (attempt %d of %d), retrying in %d ms: %s",
                        plugin.id(), plugin.version(), attempt, attempts, pause.toMillis(), e.getMessage());
                sleep(pause);
                pause = pause.multipliedBy(2);
            } catch (RuntimeException | LinkageError e) {
                throw failed(plugin, "initialize failed: " + describe(e), e);
            }
        }
    }

    private void restoreState(ManagedPlugin plugin) {
        try {
            state.restore(plugin);
        } catch (PluginException e) {
            throw failed(plugin, "state could not be restored: " + e.getMessage(), e);
        }
    }

    private void saveState(ManagedPlugin plugin) {
        try {
            state.save(plugin);
        } catch (PluginException e) {
            LOG.errorf("plugin %s %s: state not saved before stopping (it stops anyway): %s", plugin.id(),
                    plugin.version(), e.getMessage());
        }
    }

    /** INITIALIZED → ACTIVE. */
    void activate(ManagedPlugin plugin, String reason) {
        try {
            factory.subscribeEvents(plugin);
        } catch (PluginException e) {
            plugin.closeSubscriptions();
            fail(plugin, e);
            release(plugin);
            throw e;
        }
        plugin.lifecycle().transition(ACTIVE, reason);
    }

    void pause(ManagedPlugin plugin, String reason) {
        plugin.lifecycle().transition(PAUSED, reason);
    }

    void resume(ManagedPlugin plugin, String reason) {
        plugin.lifecycle().transition(ACTIVE, reason);
    }

    /** ACTIVE/PAUSED/INITIALIZED → STOPPING → (drain, shutdown) → STOPPED. */
    void stop(ManagedPlugin plugin, String reason) {
        plugin.lifecycle().transition(STOPPING, reason);
        plugin.closeSubscriptions();
        drain(plugin);
        saveState(plugin);
        try {
            callPlugin(plugin, p -> p.shutdown(), config.plugins().initializeTimeout(), "shutdown");
            plugin.lifecycle().transition(STOPPED, reason);
        } catch (RuntimeException | LinkageError e) {
            throw failed(plugin, "shutdown failed: " + describe(e), e);
        }
    }

    /** Stops if needed, releases the class loader and workers: → UNLOADED. */
    void unload(ManagedPlugin plugin, String reason) {
        PluginState state = plugin.lifecycle().state();
        if (state == ACTIVE || state == PAUSED || state == INITIALIZED) {
            stop(plugin, reason);
        }
        plugin.lifecycle().transition(UNLOADED, reason);
        release(plugin);
    }

    /** Frees code and threads of a version that is failed or unloaded. */
    void release(ManagedPlugin plugin) {
        plugin.closeSubscriptions();
        plugin.calls().retire();
        plugin.workers().close();
        if (plugin.loaded() != null) {
            plugin.loaded().close();
            plugin.loaded(null);
        }
    }

    /** Whether the version holds loaded code. */
    static boolean holdsCode(ManagedPlugin plugin) {
        return LOADED_STATES.contains(plugin.lifecycle().state());
    }

    private void drain(ManagedPlugin plugin) {
        try {
            if (!plugin.calls().drain(config.plugins().drainTimeout())) {
                LOG.warnf("plugin %s %s: %d calls still running after %s; interrupting them", plugin.id(),
                        plugin.version(), plugin.calls().count(), config.plugins().drainTimeout());
                plugin.workers().interruptAll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PluginLifecycleException(plugin.id(), "interrupted while draining " + plugin.id(), e);
        }
    }

    /**
     * Runs a lifecycle call of the plugin on its workers with its class loader current and waits for it.
     * Waiting is fine here: this is the lifecycle thread, not an event loop or a request path.
     */
    private void callPlugin(ManagedPlugin plugin, Function<io.apexagent.plugin.BasePlugin, Uni<Void>> call,
            Duration timeout, String what) {
        Uni.createFrom().deferred(() -> {
            try (LoaderSwap swap = LoaderSwap.to(plugin.classLoader())) {
                Uni<Void> result = call.apply(plugin.instance());
                if (result == null) {
                    throw new PluginInitializationException(plugin.id(), plugin.id() + "." + what
                            + " returned null instead of a Uni", null);
                }
                return result;
            }
        }).runSubscriptionOn(plugin.workers()).await().atMost(timeout);
    }

    private PluginInitializationException failed(ManagedPlugin plugin, String reason, Throwable cause) {
        PluginInitializationException e = new PluginInitializationException(plugin.id(),
                "plugin " + plugin.id() + " " + plugin.version() + ": " + reason, cause);
        fail(plugin, e);
        return e;
    }

    void fail(ManagedPlugin plugin, PluginException e) {
        if (plugin.lifecycle().state() != FAILED) {
            plugin.lifecycle().fail(e.getMessage());
        }
    }

    static String describe(Throwable e) {
        if (e instanceof io.smallrye.mutiny.TimeoutException) {
            return "did not complete in time";
        }
        return e.getMessage() != null ? e.getClass().getSimpleName() + ": " + e.getMessage() : e.toString();
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PluginLifecycleException("interrupted during initialize backoff", e);
        }
    }
}
