package io.apexagent.host.plugin.runtime;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

/**
 * Samples the calls that have a budget, on one daemon thread, every sample interval: a call over budget is
 * failed and abandoned at once (see {@link CallMeter}). It also watches abandoned calls whose workers keep
 * running plugin code and, after the grace, stops those threads by force when allowed. A breach is therefore
 * seen at most one interval late; the call may overshoot its budget by what it uses in that time. Thread-safe.
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

    private final Set<CallMeter> watched = ConcurrentHashMap.newKeySet();
    private final Runaway runaway;
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "plugin-resource-watchdog");
        t.setDaemon(true);
        return t;
    });

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
        long period = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(this::sample, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * A timer for the time limits of calls. Its periodic sampling task keeps the head of its queue, so a limit
     * scheduled further ahead than the next sample does not wake the timer thread, unlike on a timer with an
     * empty queue, where every call's limit would cost a wake-up. Timer tasks must only signal.
     */
    ScheduledExecutorService timeouts() {
        return timer;
    }

    /** Starts looking at a call (until {@link CallMeter#check} says it is done). */
    void watch(CallMeter meter) {
        watched.add(meter);
    }

    /** @return calls being sampled or waited for now (0 when nothing runs: nothing leaks) */
    public int watchedCalls() {
        return watched.size();
    }

    private void sample() {
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
