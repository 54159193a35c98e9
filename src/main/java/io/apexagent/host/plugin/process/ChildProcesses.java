package io.apexagent.host.plugin.process;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every child process this host runs, so that none outlives it: a JVM shutdown hook kills those still
 * running once the host's orderly stop had its time. (A host killed with SIGKILL runs no hook; then the
 * children exit on their own when their stdin reaches end of input.) Also holds the one timer that pings all
 * children. Thread-safe.
 */
final class ChildProcesses {

    /** Heartbeat timer of all connections; its tasks only write a line. */
    static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "plugin-process-heartbeat");
        t.setDaemon(true);
        return t;
    });

    /**
     * How long the hook leaves children to the orderly stop, which runs at the same time (JVM shutdown hooks
     * run concurrently): the host's stop sends each child {@code shutdown} and waits for its calls (the drain
     * timeout, 30 s by default, plus 10 s). Killing at once would cut those calls and skip the plugins' own
     * shutdown. Children still running after it are killed.
     */
    static final Duration GRACE_AT_EXIT = Duration.ofSeconds(45);

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcesses::reap, "plugin-process-reaper"));
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

    /** Waits for the children to end with the orderly stop, up to {@link #GRACE_AT_EXIT}; kills the rest. */
    private static void reap() {
        long deadline = System.nanoTime() + GRACE_AT_EXIT.toNanos();
        for (Process child : List.copyOf(RUNNING)) {
            try {
                child.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        RUNNING.forEach(Process::destroyForcibly);
    }
}
