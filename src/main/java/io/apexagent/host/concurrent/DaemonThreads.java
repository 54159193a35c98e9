package io.apexagent.host.concurrent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * The host's own threads, single-thread executors and timers. Their threads are daemons, so none of them holds the JVM
 * open after the application stopped (each owner still shuts its executor down), and named, for thread dumps
 * and per-thread CPU figures.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** @return a daemon thread called {@code name} that will run {@code task}, not started */
    public static Thread thread(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        return t;
    }

    /** @return a factory of daemon threads all called {@code name} */
    public static ThreadFactory named(String name) {
        return task -> thread(name, task);
    }

    /** @return one daemon thread called {@code name}, running tasks in order */
    public static ExecutorService singleThread(String name) {
        return Executors.newSingleThreadExecutor(named(name));
    }

    /** @return a timer on one daemon thread called {@code name}; its tasks should be short, as they share it */
    public static ScheduledExecutorService timer(String name) {
        return Executors.newSingleThreadScheduledExecutor(named(name));
    }
}
