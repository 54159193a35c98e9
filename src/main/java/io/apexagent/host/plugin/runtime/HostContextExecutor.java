package io.apexagent.host.plugin.runtime;

import java.util.concurrent.Executor;

/**
 * Runs tasks on a host pool with the host's class loader as context class loader, whatever the pool
 * thread was left with. Results of plugin code continue here, so host code after a plugin call (CDI,
 * Kafka, Hibernate, Jackson) never runs under a plugin's class loader. Thread-safe.
 */
public final class HostContextExecutor implements Executor {

    private final Executor pool;
    private final ClassLoader hostLoader;

    public HostContextExecutor(Executor pool, ClassLoader hostLoader) {
        this.pool = pool;
        this.hostLoader = hostLoader;
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(() -> {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(hostLoader);
            try {
                task.run();
            } finally {
                thread.setContextClassLoader(previous);
            }
        });
    }
}
