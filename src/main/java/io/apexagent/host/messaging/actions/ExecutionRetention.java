package io.apexagent.host.messaging.actions;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.apexagent.host.concurrent.OnePassAtATime;
import io.apexagent.host.config.ApexConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * Keeps {@code action_execution} from growing without end: every {@code apex.actions.retention-sweep-interval}, each
 * replica deletes the rows past {@code apex.actions.retention} ({@link ActionExecutions#forgetOlderThan}), in batches
 * so that no statement holds many row locks or runs long. Replicas sweeping at once skip each other's rows. A failed
 * sweep (database away) is logged and the next one tries again. Thread-safe.
 */
@ApplicationScoped
public class ExecutionRetention {

    /** Rows one statement deletes. */
    static final int BATCH = 5_000;
    /** Statements one sweep runs at most: a backlog (retention shortened, a long outage) is worked off over sweeps. */
    static final int MAX_BATCHES_PER_SWEEP = 20;

    private static final Logger LOG = Logger.getLogger(ExecutionRetention.class);

    private final ActionExecutions executions;
    private final ActionPathMetrics metrics;
    private final Duration retention;
    private final OnePassAtATime sweeps;

    ExecutionRetention(ActionExecutions executions, ActionPathMetrics metrics, ApexConfig config) {
        this.executions = executions;
        this.metrics = metrics;
        this.retention = config.actions().retention();
        Duration interval = config.actions().retentionSweepInterval();
        this.sweeps = new OnePassAtATime(LOG, interval, interval);
        if (retention.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("apex.actions.retention must be at least 1 minute (a finished request's "
                    + "row answers redeliveries of its record), got " + retention);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("apex.actions.retention-sweep-interval must be positive, got " + interval);
        }
    }

    void onStart(@Observes StartupEvent event) {
        sweeps.every(() -> sweep(BATCH).invoke(deleted -> {
            if (deleted > 0) {
                LOG.debugf("deleted %d action_execution rows older than %s", deleted, retention);
            }
        }), () -> "deleting action_execution rows older than " + retention);
    }

    void onStop(@Observes ShutdownEvent event) {
        sweeps.stop();
    }

    /**
     * Deletes the rows past the retention, {@code batch} at a time, until a batch comes back short or
     * {@link #MAX_BATCHES_PER_SWEEP} ran.
     *
     * @return the rows deleted
     */
    Uni<Integer> sweep(int batch) {
        return sweep(batch, 1, 0);
    }

    private Uni<Integer> sweep(int batch, int statement, int deletedSoFar) {
        return executions.forgetOlderThan(retention, batch).invoke(metrics::executionsDeleted)
                .flatMap(deleted -> deleted < batch || statement == MAX_BATCHES_PER_SWEEP
                        ? Uni.createFrom().item(deletedSoFar + deleted)
                        : sweep(batch, statement + 1, deletedSoFar + deleted));
    }
}
