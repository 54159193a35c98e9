package io.apexagent.host.plugin.runtime;

import java.time.Duration;
import java.util.ArrayDeque;

import io.apexagent.plugin.PluginException;
import io.apexagent.plugin.PluginExecutionException;
import io.apexagent.plugin.PluginTimeoutException;
import io.apexagent.plugin.PluginTransientException;

/**
 * Counts the faults of one plugin version in a sliding window and opens once when they reach the threshold;
 * the version is then failed and a fresh one started by recovery, with a closed breaker of its own.
 * Thread-safe.
 */
public final class CircuitBreaker {

    private final ArrayDeque<Long> faults = new ArrayDeque<>();
    private boolean open;

    /**
     * Whether a call's failure is the plugin's fault: time limits, budget breaches, failures of its code and
     * transient errors that survived their retries. Caller errors (unknown action, invalid parameters), "busy",
     * "not serving" and permission refusals are not: they say nothing about the plugin's health.
     */
    public static boolean isFault(Throwable failure) {
        return failure instanceof PluginTimeoutException || failure instanceof PluginExecutionException
                || failure instanceof PluginTransientException || !(failure instanceof PluginException);
    }

    /**
     * Records one fault.
     *
     * @param nowNanos  {@link System#nanoTime()} of the fault
     * @param threshold faults within the window that open the breaker
     * @param window    the window
     * @return true exactly once: for the fault that opened the breaker
     */
    public synchronized boolean record(long nowNanos, int threshold, Duration window) {
        if (open) {
            return false;
        }
        long oldest = nowNanos - window.toNanos();
        while (!faults.isEmpty() && faults.peekFirst() - oldest < 0) {
            faults.pollFirst();
        }
        faults.addLast(nowNanos);
        open = faults.size() >= threshold;
        return open;
    }

    /** @return faults within the window at the last record */
    public synchronized int recentFaults() {
        return faults.size();
    }

    /** @return whether the breaker has opened */
    public synchronized boolean isOpen() {
        return open;
    }
}
