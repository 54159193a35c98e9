package io.apexagent.host.plugin.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.apexagent.host.plugin.loader.LoaderSwap;

/** A pool thread started for a plugin signal must not inherit the plugin's context class loader. */
class HostLoaderExecutorTest {

    private final ClassLoader host = HostLoaderExecutorTest.class.getClassLoader();

    @Test
    void threadsStartedFromAPluginWorkerKeepTheHostLoader() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(); // starts its thread on the first execute()
        try (URLClassLoader plugin = new URLClassLoader(new URL[0], null)) {
            CompletableFuture<ClassLoader> inTask = new CompletableFuture<>();
            Thread pluginWorker = new Thread(() -> {
                try (LoaderSwap swap = LoaderSwap.to(plugin)) {
                    new HostLoaderExecutor(pool, host).execute(
                            () -> inTask.complete(Thread.currentThread().getContextClassLoader()));
                }
            });
            pluginWorker.start();
            pluginWorker.join();
            assertThat(inTask.get(10, TimeUnit.SECONDS)).isSameAs(host);
            // Later work on the same pool thread, submitted by host code directly, sees the host loader too.
            assertThat(pool.submit(() -> Thread.currentThread().getContextClassLoader()).get(10, TimeUnit.SECONDS))
                    .isSameAs(host);
        } finally {
            pool.shutdownNow();
        }
    }
}
