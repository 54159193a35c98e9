package io.apexagent.host.plugin.runtime;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.apexagent.plugin.PluginUnavailableException;

/**
 * A plugin's own bounded worker pool: plugin code never runs on an event loop or on another plugin's
 * threads, so a plugin that blocks all its workers slows only itself. Calls beyond the pool and its
 * queue are refused with a "busy" error instead of piling up. Thread-safe.
 */
public final class PluginWorkers implements Executor, AutoCloseable {

    private final String pluginId;
    private final int threads;
    private final int queueSize;
    private final ThreadPoolExecutor pool;
    private int stuck;

    /**
     * @param pluginId   for thread names and errors
     * @param threads    maximum concurrent calls into the plugin
     * @param queueSize  calls that may wait for a thread before "busy"
     */
    public PluginWorkers(String pluginId, String version, int threads, int queueSize) {
        this(pluginId, version, threads, queueSize, Duration.ZERO);
    }

    /**
     * @param spin how long an idle worker polls for the next call before it parks (see {@link SpinThenParkQueue});
     *             zero parks at once
     */
    public PluginWorkers(String pluginId, String version, int threads, int queueSize, Duration spin) {
        this.pluginId = pluginId;
        this.threads = threads;
        this.queueSize = Math.max(1, queueSize);
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new SpinThenParkQueue(this.queueSize, spin.toNanos()), threadFactory(pluginId + "@" + version));
        this.pool.allowCoreThreadTimeOut(true);
    }

    @Override
    public void execute(Runnable command) {
        try {
            pool.execute(command);
        } catch (RejectedExecutionException e) {
            if (pool.isShutdown()) {
                throw stopping(e);
            }
            throw new PluginBusyException(pluginId, "plugin " + pluginId + " is busy: all "
                    + pool.getMaximumPoolSize() + " workers are in use and " + queueSize
                    + " calls wait for one already; retry later or raise limits.max_concurrency", e);
        }
    }

    /**
     * Runs more of a call the workers already took (a stream's {@code request(n)}), queued even when the queue is
     * full: refusing it would leave a running call without the demand it waits for, which no retry can give back.
     * Only new calls ({@link #execute}) are bounded, and such segments do not count against that bound (a call adds at
     * most a few at once), so running streams never make a new call look busy.
     *
     * @throws PluginUnavailableException only once the workers are closed
     */
    public void executeAdmitted(Runnable command) {
        try {
            pool.execute(new SpinThenParkQueue.Admitted(command));
        } catch (RejectedExecutionException e) {
            throw stopping(e);
        }
    }

    private PluginUnavailableException stopping(RejectedExecutionException refusal) {
        return new PluginUnavailableException(pluginId, "plugin " + pluginId + " is stopping: its workers take no "
                + "more work", refusal);
    }

    /**
     * A worker is stuck in an abandoned call (it ignored its interrupt): add a thread so that the stuck one does
     * not count as free. At most as many replacements as the pool has threads; past that the plugin just gets
     * slower (its circuit breaker has opened long before).
     *
     * @return whether a thread was added (then call {@link #endCompensation()} once the stuck one returns)
     */
    public synchronized boolean compensate() {
        if (stuck >= threads || pool.isShutdown()) {
            return false;
        }
        stuck++;
        pool.setMaximumPoolSize(threads + stuck);
        pool.setCorePoolSize(threads + stuck);
        return true;
    }

    /** A stuck worker returned: give back the thread added for it. */
    public synchronized void endCompensation() {
        stuck--;
        pool.setCorePoolSize(threads + stuck);
        pool.setMaximumPoolSize(threads + stuck);
    }

    /** @return workers stuck in abandoned calls right now */
    public synchronized int stuck() {
        return stuck;
    }

    /** @return threads the pool holds now (idle ones included) */
    public int poolSize() {
        return pool.getPoolSize();
    }

    /** Stops accepting calls; running ones finish; idle threads end. */
    @Override
    public void close() {
        pool.shutdown();
    }

    /** Interrupts calls still running (used after a drain timed out). */
    public void interruptAll() {
        pool.shutdownNow();
    }

    private static ThreadFactory threadFactory(String name) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread t = new Thread(runnable, "plugin-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
