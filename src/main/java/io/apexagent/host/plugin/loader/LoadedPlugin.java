package io.apexagent.host.plugin.loader;

import java.util.Objects;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.plugin.BasePlugin;
import io.apexagent.plugin.PluginLifecycleException;

/**
 * A plugin instance with the class loader that defined it. {@link #close()} closes the loader and drops
 * every reference this object holds, so that the loader can be collected once callers let go of the
 * instance too; it does not call {@link BasePlugin#shutdown()} (the lifecycle does that first).
 * Thread-safe: close is idempotent and the accessors fail clearly after it.
 */
public final class LoadedPlugin implements AutoCloseable {

    private final PluginManifest manifest;
    private final ClassLoader hostLoader;
    private volatile PluginClassLoader classLoader;
    private volatile BasePlugin plugin;
    private final AutoCloseable resources;

    LoadedPlugin(PluginManifest manifest, PluginClassLoader classLoader, BasePlugin plugin, ClassLoader hostLoader) {
        this(manifest, classLoader, plugin, hostLoader, () -> { });
    }

    private LoadedPlugin(PluginManifest manifest, PluginClassLoader classLoader, BasePlugin plugin,
            ClassLoader hostLoader, AutoCloseable resources) {
        this.resources = resources;
        this.manifest = Objects.requireNonNull(manifest, "manifest");
        this.hostLoader = Objects.requireNonNull(hostLoader, "hostLoader");
        this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
        this.plugin = Objects.requireNonNull(plugin, "plugin");
    }

    /**
     * A plugin that runs in a child process: {@code proxy} speaks to it, {@code process} ends it on close. Its
     * class loader is empty (the code lives in the child); it only keeps context class loader swaps uniform.
     */
    public static LoadedPlugin outOfProcess(PluginManifest manifest, BasePlugin proxy, AutoCloseable process,
            ClassLoader hostLoader) {
        return new LoadedPlugin(manifest, new PluginClassLoader(manifest.id(), new java.net.URL[0], hostLoader), proxy,
                hostLoader, process);
    }

    /** @return the manifest this plugin was loaded from */
    public PluginManifest manifest() {
        return manifest;
    }

    /** @return the plugin's own class loader (use it with {@link LoaderSwap} around calls) */
    public PluginClassLoader classLoader() {
        PluginClassLoader l = classLoader;
        if (l == null) {
            throw closed();
        }
        return l;
    }

    /** @return the plugin instance */
    public BasePlugin plugin() {
        BasePlugin p = plugin;
        if (p == null) {
            throw closed();
        }
        return p;
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return classLoader == null;
    }

    /**
     * Closes the class loader (its jar files), releases host caches keyed by it (context propagation, config) and
     * drops the references to it and to the instance.
     */
    @Override
    public synchronized void close() {
        PluginClassLoader l = classLoader;
        if (l == null) {
            return;
        }
        plugin = null;
        classLoader = null;
        HostCacheRelease.release(l, hostLoader);
        try {
            resources.close();
            l.close();
        } catch (Exception e) {
            throw new PluginLifecycleException(manifest.id(), "plugin " + manifest.id()
                    + ": closing its class loader or process failed (" + e.getMessage() + "); its jar files may stay open", e);
        }
    }

    private PluginLifecycleException closed() {
        return new PluginLifecycleException(manifest.id(), "plugin " + manifest.id() + " " + manifest.version()
                + " was unloaded; load it again before calling it", null);
    }

    @Override
    public String toString() {
        return "LoadedPlugin[" + manifest.id() + " " + manifest.version() + (isClosed() ? ", closed]" : "]");
    }
}
