package io.apexagent.host.plugin.runtime;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.apexagent.host.concurrent.DaemonThreads;

/**
 * Samples the calls that have a budget, on one daemon thread, every sample interval: a call over budget is
 * failed and abandoned at once (see {@link CallMeter}). It also watches abandoned calls whose workers keep
 * running plugin code and, after the grace, stops those threads by force when allowed. A breach is therefore
 * seen at most one interval late; the call may overshoot its budget by what it uses in that time. With no call
 * to watch it samples once a second only, and the first call watched brings back the interval, so an idle replica's
 * timer does not wake a hundred times a second. Thread-safe.
 */
public final class ResourceWatchdog implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ResourceWatchdog.class);

    /**
     * What to do with a worker that ignores interruption.
     *
     * @param stop       stop it by force after the grace
     * @param graceNanos how long it may keep running after the interrupt
     * @param stopper    how a thread is stopped
     */
    record Runaway(boolean stop, long graceNanos, Consumer<Thread> stopper) {
    }

    /** Between two samples while no call is watched. */
    static final long IDLE_PERIOD_MILLIS = 1_000;

    private final Set<CallMeter> watched = ConcurrentHashMap.newKeySet();
    private final Runaway runaway;
    private final long period;
    /** Guards the sampling chain: {@link #next}, {@link #generation}, and the writes of {@link #idle}. */
    private final Object sampling = new Object();
    private ScheduledFuture<?> next;
    private long generation;
    private volatile boolean idle;
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
            DaemonThreads.named("plugin-resource-watchdog"));

    /**
     * @param interval        how often running calls are sampled
     * @param grace           how long an interrupted worker may keep running plugin code
     * @param stopRunaways    whether such a worker is then stopped by force ({@code Thread.stop})
     */
    public ResourceWatchdog(Duration interval, Duration grace, boolean stopRunaways) {
        this.runaway = new Runaway(stopRunaways, grace.toNanos(), ResourceWatchdog::stopThread);
        if (!ThreadUsage.supported()) {
            LOG.warn("this JVM does not measure per-thread CPU time and allocations: limits.cpu_ms and limits.alloc_mb"
                    + " are not enforced (timeouts still are)");
        }
        // Call timeouts share this timer (see timeouts()); cancelled ones leave its queue at once.
        timer.setRemoveOnCancelPolicy(true);
        this.period = Math.max(1, interval.toMillis());
        synchronized (sampling) {
            idle = true;
            sampleAfter(IDLE_PERIOD_MILLIS);
        }
    }

    /**
     * A timer for the time limits of calls. Its next sample (at most a second ahead) keeps the head of its queue,
     * so a limit scheduled further ahead than that does not wake the timer thread, unlike on a timer with an
     * empty queue, where every call's limit would cost a wake-up. Timer tasks must only signal.
     */
    ScheduledExecutorService timeouts() {
        return timer;
    }

    /** Starts looking at a call (until {@link CallMeter#check} says it is done). */
    void watch(CallMeter meter) {
        watched.add(meter);
        // Read after the add, as the sample writes idle before it looks at the calls: one of them sees the other.
        if (idle) {
            synchronized (sampling) {
                if (idle) {
                    idle = false;
                    next.cancel(false);
                    sampleAfter(period);
                }
            }
        }
    }

    /** @return whether sampling is at its idle rate (no call watched at the last sample) */
    boolean idle() {
        return idle;
    }

    /** Schedules the next sample; a sample of an earlier generation (already running when replaced) then stops. */
    private void sampleAfter(long delayMillis) {
        long mine = ++generation;
        try {
            next = timer.schedule(() -> sample(mine), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // Closed: nothing is sampled any more.
        }
    }

    /** @return calls being sampled or waited for now (0 when nothing runs: nothing leaks) */
    public int watchedCalls() {
        return watched.size();
    }

    private void sample(long sampleGeneration) {
        try {
            checkWatchedCalls();
        } finally {
            synchronized (sampling) {
                if (sampleGeneration == generation) {
                    idle = true;
                    idle = watched.isEmpty();
                    sampleAfter(idle ? IDLE_PERIOD_MILLIS : period);
                }
            }
        }
    }

    private void checkWatchedCalls() {
        long now = System.nanoTime();
        for (CallMeter meter : watched) {
            try {
                if (!meter.check(now, runaway)) {
                    watched.remove(meter);
                }
            } catch (RuntimeException e) {
                // One bad reading must not end the sampling of every other call.
                LOG.errorf(e, "resource watchdog could not check %s", meter);
            }
        }
    }

    /**
     * Thread.stop is deprecated because the victim releases its monitors wherever it is; it is used only on a
     * worker that ignored its interrupt while running the code of a plugin whose call has already failed. JDKs
     * from 20 on throw instead: the thread is then left running (it stays replaced in its pool).
     */
    @SuppressWarnings({ "deprecation", "removal" })
    private static void stopThread(Thread thread) {
        try {
            LOG.warnf("stopping worker %s by force: it ignored its interrupt", thread.getName());
            thread.stop();
        } catch (UnsupportedOperationException e) {
            LOG.errorf("worker %s ignores interrupts and this JDK cannot stop it: it keeps running; use"
                    + " \"isolation\": \"process\" for this plugin", thread.getName());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
