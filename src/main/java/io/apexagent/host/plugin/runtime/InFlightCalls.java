package io.apexagent.host.plugin.runtime;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts calls running in one plugin version so a reload or stop can drain them. Once retired, no new
 * call is admitted: {@link #tryEnter()} fails and the caller routes the call to the new version.
 * Thread-safe (enter/retire are ordered through the same atomic counter and a volatile flag).
 */
public final class InFlightCalls {

    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean retired;

    /** @return true if the call is admitted (then call {@link #exit()} exactly once), false if retired */
    public boolean tryEnter() {
        running.incrementAndGet();
        if (retired) {
            exit();
            return false;
        }
        return true;
    }

    /** Ends an admitted call. */
    public void exit() {
        if (running.decrementAndGet() == 0 && retired) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** @return calls running now */
    public int count() {
        return running.get();
    }

    /** Refuses new calls from now on. */
    public void retire() {
        retired = true;
    }

    /** Admits calls again (a stopped version that is started again). */
    public void reopen() {
        retired = false;
    }

    /**
     * Retires and waits until running calls finish or the timeout passes.
     *
     * @return true if drained, false on timeout
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        retire();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (running.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }
}
