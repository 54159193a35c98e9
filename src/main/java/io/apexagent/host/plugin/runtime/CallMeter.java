package io.apexagent.host.plugin.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.apexagent.plugin.PluginResourceLimitException;
import io.apexagent.plugin.PluginUnavailableException;
import io.smallrye.mutiny.helpers.Subscriptions;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * One action call's view of its plugin's workers: every piece of plugin code the call runs there (the
 * subscription of a {@code Uni}, each {@code request(n)} of a {@code Multi}) is a segment whose CPU time and
 * allocations are added up, so a budget covers the whole call however its result is emitted. Work the plugin
 * moves to threads of its own is not seen. When the call breaches a budget or times out it is abandoned: its
 * running workers are interrupted and, while they keep running, replaced in the pool; the
 * {@link ResourceWatchdog} stops them by force after a grace if they ignore the interrupt. Thread-safe.
 */
public final class CallMeter implements Executor {

    private final PluginWorkers workers;
    private final CallBudget budget;
    private final String pluginId;
    private final String action;
    private final ResourceWatchdog watchdog;
    private final CompletableFuture<Void> breach = new CompletableFuture<>();
    private final List<Segment> running = new ArrayList<>(1);
    private long cpuNanos;
    private long allocBytes;
    private boolean watched;
    private boolean closed;
    private long abandonedAt;
    private boolean stopped;
    private int replacements;
    /** Set once the call's first segment was handed to the workers (and they took it); read by other threads. */
    private volatile boolean taken;

    /** Plugin code running on one worker for this call; the readings are taken when it starts. */
    private static final class Segment {
        private final Thread thread;
        private final long cpuAtStart;
        private final long allocAtStart;
        /** Host work to run on this worker once the plugin's code returned; used only by {@link #thread}. */
        private Runnable then;

        Segment(Thread thread, long cpuAtStart, long allocAtStart) {
            this.thread = thread;
            this.cpuAtStart = cpuAtStart;
            this.allocAtStart = allocAtStart;
        }

        Thread thread() {
            return thread;
        }

        long cpuAtStart() {
            return cpuAtStart;
        }

        long allocAtStart() {
            return allocAtStart;
        }
    }

    CallMeter(PluginWorkers workers, CallBudget budget, String pluginId, String action, ResourceWatchdog watchdog) {
        this.workers = workers;
        this.budget = budget;
        this.pluginId = pluginId;
        this.action = action;
        this.watchdog = watchdog;
    }

    /**
     * Runs a segment of the call on the plugin's workers. Only the first, the call's subscription, may be refused
     * with the workers' "busy" error when they are full; later ones (a stream's {@code request(n)}) belong to a call
     * the workers took, and are queued regardless ({@link PluginWorkers#executeAdmitted}). Refusing one of those
     * threw out of {@code request(n)}, which a reactive stream has no way to report (Reactive Streams §3.16): the
     * demand was lost while the call went on holding its place.
     */
    @Override
    public void execute(Runnable segment) {
        if (budget.limited()) {
            watch();
        }
        if (taken) {
            try {
                workers.executeAdmitted(() -> runSegment(segment));
            } catch (PluginUnavailableException closed) {
                // The workers were closed (plugin stopped or reloaded): the only error a stream's request(n) may end
                // with, as Mutiny's runSubscriptionOn turns it into the stream's failure (see subscribedOnWorkers).
                throw new RejectedExecutionException(closed.getMessage(), closed);
            }
            return;
        }
        // Marked before the hand-over: the worker may run the subscription, and ask for more, at once.
        taken = true;
        try {
            workers.execute(() -> runSegment(segment));
        } catch (RuntimeException refused) {
            taken = false;
            throw refused;
        }
    }

    /**
     * Runs {@code stream}'s subscription and each of its {@code request(n)} on the workers, as
     * {@code runSubscriptionOn(this)} does, with every refusal ending the stream as a failure. Mutiny's operator turns
     * only a {@link RejectedExecutionException} into a failure: the workers' busy error, thrown when they refuse the
     * subscription, went out of {@code subscribe} to whatever thread subscribed (a database callback, a retry timer),
     * which dropped it, and the subscriber waited for ever. A stream refused as busy now fails with that error (which
     * callers may retry); one whose workers closed under it fails with {@link PluginUnavailableException} too.
     */
    <T> Multi<T> subscribedOnWorkers(Multi<T> stream) {
        Multi<T> onWorkers = stream.runSubscriptionOn(this)
                .onFailure(CallMeter::refusedAsClosed).transform(Throwable::getCause);
        return Multi.createFrom().publisher(downstream -> {
            try {
                onWorkers.subscribe(downstream);
            } catch (PluginUnavailableException refused) {
                // Thrown before the subscription was handed to a worker: the downstream has not been subscribed yet.
                Subscriptions.fail(downstream, refused);
            }
        });
    }

    private static boolean refusedAsClosed(Throwable failure) {
        return failure instanceof RejectedExecutionException && failure.getCause() instanceof PluginUnavailableException;
    }

    /** Fails {@code call} as soon as the watchdog sees a budget breach (only budgets need the race). */
    <T> Uni<T> guard(Uni<T> call) {
        if (!budget.limited()) {
            return call;
        }
        return Uni.join().first(call, breachSignal()).toTerminate();
    }

    /** Fails {@code stream} as soon as the watchdog sees a budget breach. */
    <T> Multi<T> guard(Multi<T> stream) {
        if (!budget.limited()) {
            return stream;
        }
        Multi<T> settled = stream.onTermination().invoke(() -> breach.complete(null));
        return Multi.createBy().merging().streams(settled, this.<T>breachSignal().toMulti());
    }

    private <T> Uni<T> breachSignal() {
        return Uni.createFrom().completionStage(breach).map(ignored -> null);
    }

    /** The call ended (any way): stop sampling it, unless abandoned workers still run its code. */
    void close() {
        breach.complete(null);
        synchronized (this) {
            closed = true;
        }
    }

    /** Interrupts the call's running workers and replaces them in the pool while they keep running. */
    void abandon() {
        synchronized (this) {
            if (abandonedAt != 0) {
                return;
            }
            abandonedAt = System.nanoTime();
            for (Segment s : running) {
                s.thread().interrupt();
                if (workers.compensate()) {
                    replacements++;
                }
            }
            if (running.isEmpty()) {
                return;
            }
        }
        watch();
    }

    /**
     * One watchdog look at the call.
     *
     * @return whether the watchdog must keep looking at it
     */
    boolean check(long now, ResourceWatchdog.Runaway runaway) {
        PluginResourceLimitException exceeded;
        synchronized (this) {
            if (abandonedAt != 0) {
                if (running.isEmpty()) {
                    watched = false;
                    return false;
                }
                if (runaway.stop() && !stopped && now - abandonedAt >= runaway.graceNanos()) {
                    stopped = true;
                    running.forEach(s -> runaway.stopper().accept(s.thread()));
                }
                return true;
            }
            if (closed) {
                watched = false;
                return false;
            }
            exceeded = exceeded();
        }
        if (exceeded != null) {
            breach.completeExceptionally(exceeded);
            abandon();
        }
        return true;
    }

    private PluginResourceLimitException exceeded() {
        long cpu = cpuNanos;
        long alloc = allocBytes;
        for (Segment s : running) {
            cpu += Math.max(0, ThreadUsage.cpuNanos(s.thread()) - s.cpuAtStart());
            alloc += Math.max(0, ThreadUsage.allocatedBytes(s.thread()) - s.allocAtStart());
        }
        if (budget.cpuMs() > 0 && cpu > budget.cpuNanos()) {
            return breachOf("CPU budget", "limits.cpu_ms", budget.cpuMs(), ceilDiv(cpu, 1_000_000L), "ms of CPU time");
        }
        if (budget.allocMb() > 0 && alloc > budget.allocBytes()) {
            return breachOf("allocation budget", "limits.alloc_mb", budget.allocMb(), ceilDiv(alloc, 1024L * 1024L),
                    "MiB allocated");
        }
        return null;
    }

    /** Rounds up, so that a use just over the limit never reads as equal to it. */
    private static long ceilDiv(long value, long unit) {
        return (value + unit - 1) / unit;
    }

    private PluginResourceLimitException breachOf(String what, String key, long limit, long measured, String unit) {
        return new PluginResourceLimitException(pluginId, key, limit, measured,
                "action " + pluginId + "." + action + " exceeded its " + what + ": " + measured + " " + unit
                        + ", limit " + limit + " (" + key + "); the call was stopped and its worker interrupted");
    }

    /**
     * Runs {@code hostWork} on the calling worker right after the segment it is in has ended: after the
     * plugin's code returned and its context class loader was restored, outside the budget. This saves a
     * hand-over to another thread when a plugin emits its result synchronously.
     *
     * @return false if the calling thread is not running a segment of this call (the caller must then run
     *         {@code hostWork} elsewhere)
     */
    synchronized boolean runAfterSegment(Runnable hostWork) {
        Thread current = Thread.currentThread();
        for (Segment s : running) {
            if (s.thread() == current && s.then == null) {
                s.then = hostWork;
                return true;
            }
        }
        return false;
    }

    private void runSegment(Runnable segment) {
        Segment s = begin();
        try {
            segment.run();
        } finally {
            end(s);
        }
        if (s.then != null) {
            s.then.run();
        }
    }

    private synchronized Segment begin() {
        boolean measure = budget.limited();
        Segment s = new Segment(Thread.currentThread(), measure ? ThreadUsage.currentCpuNanos() : 0,
                measure ? ThreadUsage.currentAllocatedBytes() : 0);
        running.add(s);
        return s;
    }

    private synchronized void end(Segment s) {
        if (budget.limited()) {
            cpuNanos += ThreadUsage.currentCpuNanos() - s.cpuAtStart();
            allocBytes += ThreadUsage.currentAllocatedBytes() - s.allocAtStart();
        }
        running.remove(s);
        if (replacements > 0) {
            replacements--;
            workers.endCompensation();
        }
    }

    private void watch() {
        synchronized (this) {
            if (watched) {
                return;
            }
            watched = true;
        }
        watchdog.watch(this);
    }

    @Override
    public String toString() {
        return "call " + pluginId + "." + action;
    }
}
