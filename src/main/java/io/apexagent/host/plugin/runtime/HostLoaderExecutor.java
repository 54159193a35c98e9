package io.apexagent.host.plugin.runtime;

import java.util.concurrent.Executor;

import io.apexagent.host.plugin.loader.LoaderSwap;

/**
 * Hands host continuations of plugin signals to a host pool with the host's context class loader. A plugin
 * signal may arrive on a plugin worker whose context class loader is the plugin's; a pool that starts a
 * thread for the task starts it from the submitting thread, and a new thread inherits that thread's context
 * class loader — for its whole life, so later host work on it (CDI bean creation, config, Kafka) would look
 * classes up in the plugin's loader and fail. So the task is submitted, and run, under the host's loader.
 * Thread-safe.
 */
final class HostLoaderExecutor implements Executor {

    private final Executor pool;
    private final ClassLoader host;

    HostLoaderExecutor(Executor pool, ClassLoader host) {
        this.pool = pool;
        this.host = host;
    }

    @Override
    public void execute(Runnable task) {
        try (LoaderSwap submitting = LoaderSwap.to(host)) {
            pool.execute(() -> {
                try (LoaderSwap running = LoaderSwap.to(host)) {
                    task.run();
                }
            });
        }
    }
}
