package io.apexagent.host.plugin.process;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.apexagent.host.concurrent.DaemonThreads;

/**
 * Every child process this host runs, so that none outlives it: a JVM shutdown hook kills those still
 * running once the host's orderly stop had its time. (A host killed with SIGKILL runs no hook; then the
 * children exit on their own when their stdin reaches end of input.) Also holds the one timer that pings all
 * children. Thread-safe.
 */
public final class ChildProcesses {

    /** Heartbeat timer of all connections; its tasks only write a line. */
    static final ScheduledExecutorService TIMER = DaemonThreads.timer("plugin-process-heartbeat");

    /**
     * How long the hook leaves children to the host's orderly stop, which runs at the same time (JVM shutdown
     * hooks run concurrently): it sends each child {@code shutdown} and waits for its calls (the drain timeout,
     * 30 s by default, plus 10 s). Killing at once would cut those calls and skip the plugins' own shutdown.
     */
    static final Duration GRACE_AT_EXIT = Duration.ofSeconds(45);

    private static final CountDownLatch ORDERLY_STOP_DONE = new CountDownLatch(1);
    private static volatile boolean orderlyStopExpected;

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

    /** The host's plugins are up: at exit, the hook waits for their orderly stop before it kills children. */
    public static void orderlyStopExpected() {
        orderlyStopExpected = true;
    }

    /** The host's orderly stop ended: children it did not end are killed at once. */
    public static void orderlyStopDone() {
        ORDERLY_STOP_DONE.countDown();
    }

    /** Waits for the orderly stop (if one is due), up to {@link #GRACE_AT_EXIT}; then kills what is left. */
    private static void reap() {
        if (orderlyStopExpected) {
            try {
                ORDERLY_STOP_DONE.await(GRACE_AT_EXIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        RUNNING.forEach(Process::destroyForcibly);
    }
}
