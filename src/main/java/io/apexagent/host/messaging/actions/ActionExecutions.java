package io.apexagent.host.messaging.actions;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The {@code action_execution} table as the idempotency guard of the action path. Plain SQL on the
 * reactive pool because the guard needs atomic statements ({@code INSERT ... ON CONFLICT DO NOTHING},
 * a conditional lease take-over) that a find-then-save through an ORM session cannot give.
 * Statuses: RUNNING (leased by a node) → COMPLETED / FAILED (final record stored) → PUBLISHED (final
 * record acknowledged by the broker). Thread-safe.
 */
@ApplicationScoped
public class ActionExecutions {

    static final String RUNNING = "RUNNING";
    static final String COMPLETED = "COMPLETED";
    static final String FAILED = "FAILED";
    static final String PUBLISHED = "PUBLISHED";

    /** What a replica may do with a request it just read. */
    public sealed interface Claim permits Run, Done, Elsewhere {
    }

    /** This replica owns the request now: run it. */
    public record Run(boolean takenOver) implements Claim {
    }

    /** Already finished: its final record is stored (and maybe already published). */
    public record Done(String finalRecord, boolean published, boolean sameRecord, java.time.Instant storedAt)
            implements Claim {
    }

    /** Another live replica holds the lease. */
    public record Elsewhere(String nodeId) implements Claim {
    }

    private final Pool pool;

    ActionExecutions(Pool pool) {
        this.pool = pool;
    }

    /** Records the request as RUNNING on this node, or tells what became of it earlier. */
    public Uni<Claim> claim(String requestId, String pluginId, String action, String nodeId, Duration lease,
            int partition, long offset) {
        return pool.preparedQuery("""
                INSERT INTO action_execution (request_id, plugin_id, action, status, node_id, lease_until,
                                              source_partition, source_offset)
                VALUES ($1, $2, $3, 'RUNNING', $4, now() + ($5 * interval '1 millisecond'), $6, $7)
                ON CONFLICT (request_id) DO NOTHING
                RETURNING request_id""")
                .execute(Tuple.from(new Object[] {requestId, pluginId, action, nodeId, lease.toMillis(), partition,
                        offset}))
                .flatMap(inserted -> inserted.rowCount() == 1
                        ? Uni.createFrom().item((Claim) new Run(false))
                        : existing(requestId, nodeId, lease, partition, offset));
    }

    private Uni<Claim> existing(String requestId, String nodeId, Duration lease, int partition, long offset) {
        return pool.preparedQuery("""
                SELECT status, final_result, node_id, lease_until > now() AS leased, source_partition, source_offset,
                       updated_at
                FROM action_execution WHERE request_id = $1""")
                .execute(Tuple.of(requestId))
                .flatMap(rows -> {
                    Row row = rows.iterator().next();
                    String status = row.getString("status");
                    if (!RUNNING.equals(status)) {
                        boolean same = Integer.valueOf(partition).equals(row.getInteger("source_partition"))
                                && Long.valueOf(offset).equals(row.getLong("source_offset"));
                        return Uni.createFrom().item(new Done(row.getString("final_result"), PUBLISHED.equals(status), same,
                                row.getOffsetDateTime("updated_at").toInstant()));
                    }
                    if (Boolean.TRUE.equals(row.getBoolean("leased")) && !nodeId.equals(row.getString("node_id"))) {
                        return Uni.createFrom().item(new Elsewhere(row.getString("node_id")));
                    }
                    return takeOver(requestId, nodeId, lease, partition, offset);
                });
    }

    /** Takes a RUNNING request whose lease expired (its replica died) or that this node held before a restart. */
    private Uni<Claim> takeOver(String requestId, String nodeId, Duration lease, int partition, long offset) {
        return pool.preparedQuery("""
                UPDATE action_execution
                SET node_id = $2, lease_until = now() + ($3 * interval '1 millisecond'), updated_at = now(),
                    source_partition = $4, source_offset = $5, version = version + 1
                WHERE request_id = $1 AND status = 'RUNNING' AND (lease_until <= now() OR node_id = $2)""")
                .execute(Tuple.of(requestId, nodeId, lease.toMillis(), partition, offset))
                .flatMap(updated -> updated.rowCount() == 1
                        ? Uni.createFrom().item((Claim) new Run(true))
                        : existing(requestId, nodeId, lease, partition, offset));
    }

    /** Stores the final (or error) record before it is published. */
    public Uni<Void> complete(String requestId, boolean failed, String finalRecord) {
        return update("""
                UPDATE action_execution SET status = $2, final_result = $3, lease_until = NULL, updated_at = now(),
                    version = version + 1
                WHERE request_id = $1""", Tuple.of(requestId, failed ? FAILED : COMPLETED, finalRecord));
    }

    /** Notes that the broker acknowledged the final record. */
    public Uni<Void> published(String requestId) {
        return update("UPDATE action_execution SET status = 'PUBLISHED', updated_at = now() WHERE request_id = $1",
                Tuple.of(requestId));
    }

    private Uni<Void> update(String sql, Tuple args) {
        return pool.preparedQuery(sql).execute(args).map(RowSet::rowCount).replaceWithVoid();
    }
}
