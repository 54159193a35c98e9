package io.apexagent.host.messaging.actions;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Renews the lease of a request's RUNNING claim while its plugin call runs, every third of the lease,
 * so a call that outlives one lease is never taken over by another replica as if its node had died.
 * A replica that really dies stops renewing, and its requests become free once the last lease ends.
 * A failed renewal (database away) is only logged: the next tick tries again, and two missed thirds
 * still leave the lease valid. Thread-safe.
 */
final class LeaseKeeper {

    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class);

    private final ActionExecutions executions;
    private final String nodeId;
    private final Duration lease;
    private final Duration every;

    LeaseKeeper(ActionExecutions executions, String nodeId, Duration lease) {
        if (lease.toMillis() < 3) {
            throw new IllegalArgumentException("apex.actions.lease must be at least 3 ms to be renewed, got " + lease);
        }
        this.executions = executions;
        this.nodeId = nodeId;
        this.lease = lease;
        this.every = lease.dividedBy(3);
    }

    /** @return {@code call}, with the request's lease renewed from its subscription until it terminates */
    <T> Uni<T> whileRunning(String requestId, Uni<T> call) {
        return Uni.createFrom().deferred(() -> {
            Cancellable renewal = renewEvery(requestId);
            return call.onTermination().invoke(renewal::cancel);
        });
    }

    /** @return {@code stream}, with the request's lease renewed from its subscription until it terminates */
    <T> Multi<T> whileStreaming(String requestId, Multi<T> stream) {
        return Multi.createFrom().deferred(() -> {
            Cancellable renewal = renewEvery(requestId);
            return stream.onTermination().invoke(renewal::cancel);
        });
    }

    private Cancellable renewEvery(String requestId) {
        return Multi.createFrom().ticks().startingAfter(every).every(every)
                .onOverflow().drop()
                .onItem().transformToUniAndConcatenate(tick -> renew(requestId))
                .subscribe().with(ignored -> { }, failure -> LOG.errorf(failure,
                        "lease renewal of request %s stopped", requestId));
    }

    private Uni<Void> renew(String requestId) {
        return executions.renew(requestId, nodeId, lease)
                .invoke(stillMine -> {
                    if (!stillMine) {
                        LOG.warnf("request %s is no longer leased by %s (finished or taken over); its lease was not "
                                + "renewed", requestId, nodeId);
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("lease of request %s not renewed, will retry in %s: %s",
                        requestId, every, e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
