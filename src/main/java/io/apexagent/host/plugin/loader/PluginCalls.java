package io.apexagent.host.plugin.loader;

import java.util.function.Function;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.plugin.BasePlugin;
import io.apexagent.plugin.PluginExecutionException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * How the host calls into plugin code: with the plugin's class loader as the thread context class
 * loader (restored afterwards), and with the JVM's linkage errors (a plugin touching a hidden host
 * class, or built against another SDK) turned into {@link PluginExecutionException}s that say so.
 * Stateless and thread-safe.
 */
public final class PluginCalls {

    private PluginCalls() {
    }

    /**
     * Runs a synchronous call into the plugin.
     *
     * @param loaded the plugin
     * @param call   what to do with its instance, e.g. {@code BasePlugin::getActions}
     * @return the call's result
     */
    public static <T> T call(LoadedPlugin loaded, Function<BasePlugin, T> call) {
        BasePlugin plugin = loaded.plugin();
        try (LoaderSwap swap = LoaderSwap.to(loaded.classLoader())) {
            return call.apply(plugin);
        } catch (LinkageError e) {
            throw (PluginExecutionException) translateLinkageError(e, loaded.manifest());
        }
    }

    /**
     * Wraps an asynchronous call: the plugin builds its {@code Uni} and is subscribed to with its loader as
     * context loader; continuations it moves to other threads run with whatever those threads have.
     *
     * @param loaded the plugin
     * @param call   e.g. {@code p -> p.executeAction(action, params)}
     * @return a lazy {@code Uni}: nothing reaches the plugin before subscription
     */
    public static <T> Uni<T> uni(LoadedPlugin loaded, Function<BasePlugin, Uni<T>> call) {
        PluginClassLoader loader = loaded.classLoader();
        Uni<T> deferred = Uni.createFrom().deferred(() -> call.apply(loaded.plugin()));
        return new ContextLoaderUni<>(deferred, loader)
                .onFailure().transform(t -> translateLinkageError(t, loaded.manifest()));
    }

    /**
     * Wraps a streaming call like {@link #uni}; the context loader is also set around each
     * {@code request(n)}, where pull-driven sources (generators, emitters) produce their items.
     *
     * @param loaded the plugin
     * @param call   e.g. {@code p -> ((StreamingPlugin) p).streamAction(action, params)}
     * @return a lazy {@code Multi}
     */
    public static <T> Multi<T> multi(LoadedPlugin loaded, Function<BasePlugin, Multi<T>> call) {
        PluginClassLoader loader = loaded.classLoader();
        Multi<T> deferred = Multi.createFrom().deferred(() -> call.apply(loaded.plugin()));
        return new ContextLoaderMulti<>(deferred, loader)
                .onFailure().transform(t -> translateLinkageError(t, loaded.manifest()));
    }

    /**
     * Translates a linkage error thrown by plugin code (found anywhere in the cause chain), e.g.
     * {@code uni.onFailure().transform(t -> PluginCalls.translateLinkageError(t, manifest))}.
     *
     * @param failure  what the plugin call failed with
     * @param manifest the plugin concerned
     * @return a {@link PluginExecutionException} naming the class, or {@code failure} itself when it holds
     *         no linkage error
     */
    public static Throwable translateLinkageError(Throwable failure, PluginManifest manifest) {
        return LinkageErrors.translate(failure, manifest, PluginCalls.class.getClassLoader(),
                (message, cause) -> new PluginExecutionException(manifest.id(), message, cause))
                .map(Throwable.class::cast)
                .orElse(failure);
    }
}
