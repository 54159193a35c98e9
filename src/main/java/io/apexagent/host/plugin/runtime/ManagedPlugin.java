package io.apexagent.host.plugin.runtime;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.plugin.lifecycle.PluginLifecycle;
import io.apexagent.host.plugin.loader.LoadedPlugin;
import io.apexagent.plugin.BasePlugin;

/**
 * One loaded version of a plugin with everything the host keeps for it: its code, lifecycle, workers,
 * in-flight calls and compiled action schemas. During a reload two of these exist for one id.
 */
public final class ManagedPlugin {

    private final PluginManifest manifest;
    private final PluginLifecycle lifecycle;
    private final PluginWorkers workers;
    private final InFlightCalls calls = new InFlightCalls();
    private final CircuitBreaker breaker = new CircuitBreaker();
    private final ActionSchemas schemas;
    private volatile LoadedPlugin loaded;
    private final java.util.List<AutoCloseable> subscriptions = new java.util.concurrent.CopyOnWriteArrayList<>();

    public ManagedPlugin(PluginManifest manifest, PluginLifecycle lifecycle, PluginWorkers workers) {
        this.manifest = manifest;
        this.lifecycle = lifecycle;
        this.workers = workers;
        this.schemas = new ActionSchemas(manifest);
    }

    public PluginManifest manifest() {
        return manifest;
    }

    public String id() {
        return manifest.id();
    }

    public String version() {
        return manifest.version();
    }

    public PluginLifecycle lifecycle() {
        return lifecycle;
    }

    public PluginWorkers workers() {
        return workers;
    }

    public InFlightCalls calls() {
        return calls;
    }

    /** @return this version's circuit breaker (a restarted version gets a new one) */
    public CircuitBreaker breaker() {
        return breaker;
    }

    public ActionSchemas schemas() {
        return schemas;
    }

    /** @return the loaded code, or null before load / after unload */
    public LoadedPlugin loaded() {
        return loaded;
    }

    public void loaded(LoadedPlugin loaded) {
        this.loaded = loaded;
    }

    /** @return the plugin instance; fails clearly if the code is not loaded */
    public BasePlugin instance() {
        LoadedPlugin l = loaded;
        if (l == null) {
            throw new IllegalStateException("plugin " + id() + " " + version() + " has no loaded code");
        }
        return l.plugin();
    }

    /** @return the plugin's class loader (for context class loader swaps) */
    public ClassLoader classLoader() {
        return loaded.classLoader();
    }

    /** Remembers an event subscription of this version, closed by {@link #closeSubscriptions()}. */
    public void addSubscription(AutoCloseable subscription) {
        subscriptions.add(subscription);
    }

    /** Ends this version's event subscriptions (another version of the same id keeps its own). */
    public void closeSubscriptions() {
        for (AutoCloseable s : subscriptions) {
            try {
                s.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not end an event subscription of " + this, e);
            }
        }
        subscriptions.clear();
    }

    @Override
    public String toString() {
        return id() + "@" + version() + "[" + lifecycle.state() + "]";
    }
}
