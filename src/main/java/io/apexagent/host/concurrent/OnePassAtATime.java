package io.apexagent.host.concurrent;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Runs a reactive pass at each tick of a timer, one at a time: a tick that finds the previous pass still running
 * skips its turn. A pass that fails, or throws before it starts, is logged and left to the next tick; thrown out of
 * a scheduled task, it would end the ticks for good. A pass that has not ended after its longest time (a statement
 * on a connection that went silent) fails, or it would hold off every later tick without a word. Thread-safe.
 */
public final class OnePassAtATime {

    private final Logger log;
    private final Duration interval;
    private final Duration longestPass;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile ScheduledFuture<?> schedule;

    /**
     * @param log         where failures are logged
     * @param interval    the timer's period, named in the failure messages
     * @param longestPass how long a pass may run before it is failed, so that the next tick can start another
     */
    public OnePassAtATime(Logger log, Duration interval, Duration longestPass) {
        this.log = log;
        this.interval = interval;
        this.longestPass = longestPass;
    }

    /** Ticks every interval on Mutiny's worker pool, the first an interval from now, until {@link #stop()}. */
    public void every(Supplier<Uni<?>> pass, Supplier<String> what) {
        long millis = interval.toMillis();
        schedule = Infrastructure.getDefaultWorkerPool().scheduleWithFixedDelay(() -> tick(pass, what), millis, millis,
                TimeUnit.MILLISECONDS);
    }

    /** Stops the ticks {@link #every} started; a pass running now runs to its end. */
    public void stop() {
        ScheduledFuture<?> scheduled = schedule;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }

    /**
     * Starts {@code pass} unless the previous one still runs.
     *
     * @param what what the pass does, for its failure message, e.g. "renewing the leases of 3 requests"
     */
    public void tick(Supplier<Uni<?>> pass, Supplier<String> what) {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            pass.get().ifNoItem().after(longestPass).failWith(() -> new TimeoutException("it did not end within "
                    + longestPass))
                    .onTermination().invoke(() -> running.set(false)).subscribe().with(done -> { },
                    failure -> log.warnf("%s failed, retrying in %s: %s", what.get(), interval, failure.getMessage()));
        } catch (RuntimeException e) {
            running.set(false);
            log.errorf(e, "%s failed, retrying in %s", what.get(), interval);
        }
    }
}
