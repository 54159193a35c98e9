package io.apexagent.host.plugin.loader;

import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.context.spi.ContextManager;
import org.eclipse.microprofile.context.spi.ContextManagerProvider;

import io.smallrye.config.SmallRyeConfigProviderResolver;
import io.smallrye.context.SmallRyeContextManagerProvider;

/**
 * Releases what host libraries keep per thread context class loader, so that an unloaded plugin's loader
 * can be collected. While plugin code runs, its loader is the context loader; host code on that thread
 * (Mutiny's context-propagation decorator, anything reading MicroProfile Config) then registers a
 * context manager and a {@code Config} under the plugin's loader and keeps them forever. Found with a
 * heap dump of {@code PluginUnloadTest}. Shared entries (Quarkus's single, global context manager) are
 * never released here. Thread-safe (the libraries' registries are).
 */
final class HostCacheRelease {

    private HostCacheRelease() {
    }

    /** Drops every known host cache entry keyed by {@code pluginLoader}. */
    static void release(ClassLoader pluginLoader, ClassLoader hostLoader) {
        releaseContextManager(pluginLoader, hostLoader);
        releaseConfig(pluginLoader);
    }

    private static void releaseContextManager(ClassLoader pluginLoader, ClassLoader hostLoader) {
        ContextManagerProvider provider = ContextManagerProvider.INSTANCE.get();
        if (!(provider instanceof SmallRyeContextManagerProvider)) {
            return;
        }
        SmallRyeContextManagerProvider smallRye = (SmallRyeContextManagerProvider) provider;
        ContextManager own = smallRye.findContextManager(pluginLoader);
        // Quarkus's provider answers its one global manager for every loader: releasing it would break the host.
        if (own != null && own != smallRye.findContextManager(hostLoader)
                && own != smallRye.findContextManager(ClassLoader.getSystemClassLoader())) {
            smallRye.releaseContextManager(own);
        }
    }

    private static void releaseConfig(ClassLoader pluginLoader) {
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        if (resolver instanceof SmallRyeConfigProviderResolver) {
            // Removes only the map entry for this loader; the Config itself (possibly the host's) stays open.
            ((SmallRyeConfigProviderResolver) resolver).releaseConfig(pluginLoader);
        }
    }
}
