package io.apexagent.host.messaging.actions;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.apexagent.host.concurrent.OnePassAtATime;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Renews the leases of the RUNNING claims whose plugin calls run on this node, every third of the lease,
 * so a call that outlives one lease is never taken over by another replica as if its node had died.
 * A replica that really dies stops renewing, and its requests become free once the last lease ends.
 * One timer and one statement renew all running calls together: a call only joins and leaves a set, which
 * keeps timers and their scheduling off the per-request path. A call is renewed at most a third of the
 * lease after it started, as with a timer of its own. A failed renewal (database away) is only logged: the
 * next tick tries again, and two missed thirds still leave the lease valid.
 * <p>
 * A call still running after {@code overdueAfter} (by default {@link #OVERDUE_LEASES} leases) is logged once as
 * overdue and counted ({@link #overdue()}): its lease keeps another replica from running it, and its request holds
 * its partition's offset commits, so a call that never ends (its time limit did not fire) must not go unnoticed.
 * Thread-safe.
 */
final class LeaseKeeper {

    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class);

    private final ActionExecutions executions;
    private final String nodeId;
    private final Duration lease;
    /** Leases after which a call that still runs is reported as overdue. */
    static final int OVERDUE_LEASES = 10;

    private final Duration every;
    private final long overdueAfterNanos;
    /** Running calls: request id → when its call started ({@link System#nanoTime()}). */
    private final Map<String, Long> running = new ConcurrentHashMap<>();
    private final Set<String> overdue = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean ticking = new AtomicBoolean();
    private final OnePassAtATime renewals;

    LeaseKeeper(ActionExecutions executions, String nodeId, Duration lease) {
        this(executions, nodeId, lease, lease.multipliedBy(OVERDUE_LEASES));
    }

    LeaseKeeper(ActionExecutions executions, String nodeId, Duration lease, Duration overdueAfter) {
        if (lease.toMillis() < 3) {
            throw new IllegalArgumentException("apex.actions.lease must be at least 3 ms to be renewed, got " + lease);
        }
        this.executions = executions;
        this.nodeId = nodeId;
        this.lease = lease;
        this.every = lease.dividedBy(3);
        this.renewals = new OnePassAtATime(LOG, every, lease);
        this.overdueAfterNanos = overdueAfter.toNanos();
    }

    /** @return how many running calls have run longer than they should (see the class comment) */
    int overdue() {
        return overdue.size();
    }

    /** @return {@code call}, with the request's lease renewed from its subscription until it terminates */
    <T> Uni<T> whileRunning(String requestId, Uni<T> call) {
        return Uni.createFrom().deferred(() -> {
            join(requestId);
            return call;
        }).onTermination().invoke(() -> leave(requestId));
    }

    /** @return {@code stream}, with the request's lease renewed from its subscription until it terminates */
    <T> Multi<T> whileStreaming(String requestId, Multi<T> stream) {
        return Multi.createFrom().deferred(() -> {
            join(requestId);
            return stream;
        }).onTermination().invoke(() -> leave(requestId));
    }

    private void join(String requestId) {
        running.put(requestId, System.nanoTime());
        if (ticking.compareAndSet(false, true)) {
            Infrastructure.getDefaultWorkerPool().scheduleAtFixedRate(this::renewRunning, every.toMillis(),
                    every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void leave(String requestId) {
        running.remove(requestId);
        if (overdue.remove(requestId)) {
            LOG.infof("the overdue call of request %s ended", requestId);
        }
    }

    /** One renewal at a time: a tick that finds the previous statement still running skips its turn. */
    private void renewRunning() {
        noteOverdue();
        List<String> ids = List.copyOf(running.keySet());
        if (!ids.isEmpty()) {
            renewals.tick(() -> executions.renewAll(ids, nodeId, lease).invoke(renewed -> warnAboutLost(ids, renewed)),
                    () -> "renewing the leases of " + ids.size() + " running requests");
        }
    }

    private void noteOverdue() {
        long now = System.nanoTime();
        running.forEach((id, started) -> {
            if (now - started > overdueAfterNanos && overdue.add(id)) {
                LOG.warnf("the call of request %s has run for %d s and not ended; its lease is still renewed, so no "
                        + "other replica runs it, and its partition's offsets are not committed past it",
                        id, TimeUnit.NANOSECONDS.toSeconds(now - started));
            }
        });
    }

    private void warnAboutLost(List<String> ids, Set<String> renewed) {
        for (String id : ids) {
            if (!renewed.contains(id) && running.containsKey(id)) {
                LOG.warnf("request %s is no longer leased by %s (finished or taken over); its lease was not renewed",
                        id, nodeId);
            }
        }
    }
}
