package io.apexagent.host.plugin.process;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Every child process this host runs, so that none outlives it: a JVM shutdown hook kills those still
 * running. (A host killed with SIGKILL runs no hook; then the children exit on their own when their stdin
 * reaches end of input.) Also holds the one timer that pings all children. Thread-safe.
 */
final class ChildProcesses {

    /** Heartbeat timer of all connections; its tasks only write a line. */
    static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "plugin-process-heartbeat");
        t.setDaemon(true);
        return t;
    });

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "plugin-process-reaper"));
    }

    private ChildProcesses() {
    }

    static void track(Process process) {
        RUNNING.add(process);
        process.onExit().thenRun(() -> RUNNING.remove(process));
    }

    static void forget(Process process) {
        RUNNING.remove(process);
    }
}
