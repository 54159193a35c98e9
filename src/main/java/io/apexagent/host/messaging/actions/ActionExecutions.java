package io.apexagent.host.messaging.actions;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * The {@code action_execution} table as the idempotency guard of the action path. Plain SQL on the
 * reactive pool because the guard needs atomic statements ({@code INSERT ... ON CONFLICT DO NOTHING},
 * a conditional lease take-over) that a find-then-save through an ORM session cannot give.
 * Statuses: RUNNING (leased by a node) → PUBLISHED (final record acknowledged by the broker and stored).
 * COMPLETED / FAILED (final record stored, not yet acknowledged) are left by earlier versions, which stored
 * the record before publishing it; they are still understood. Writes of concurrent requests are
 * group-committed ({@link GroupCommit}): one statement, one transaction and one fsync for a whole group.
 * Thread-safe.
 */
@ApplicationScoped
public class ActionExecutions {

    static final String RUNNING = "RUNNING";
    static final String PUBLISHED = "PUBLISHED";

    /** What a replica may do with a request it just read. */
    public sealed interface Claim permits Run, TakenOver, Done, Elsewhere {
    }

    /** This replica owns the request, which no one claimed before: run it. */
    public record Run() implements Claim {
    }

    /**
     * This replica owns a request that was RUNNING on a node that died (its lease ended) or on this node
     * before it restarted. That node may have published the final record and died before noting it, so
     * look for it on the topic (from {@code firstClaimed} on) before running the request again.
     */
    public record TakenOver(java.time.Instant firstClaimed) implements Claim {
    }

    /** Already finished: its final record is stored (and maybe already published). */
    public record Done(String finalRecord, boolean published, boolean sameRecord, java.time.Instant storedAt)
            implements Claim {
    }

    /** Another live replica holds the lease. */
    public record Elsewhere(String nodeId) implements Claim {
    }

    /** Most rows one group-committed statement writes. */
    static final int MAX_BATCH = 512;
    /** Statements of one kind running at once (claims; final records), out of the pool's connections. */
    static final int STATEMENTS_AT_ONCE = 3;

    /**
     * Extends the leases of a node's running requests. Like {@link #COMPLETE_ALL}, it finds its rows by key
     * through an array parameter, which a plan cached by the connection can turn into a scan of the whole table
     * (see application.properties, {@code plan_cache_mode}).
     */
    static final String RENEW_ALL = """
            UPDATE action_execution SET lease_until = now() + ($3 * interval '1 millisecond')
            WHERE request_id = ANY($1::varchar[]) AND node_id = $2 AND status = 'RUNNING'
            RETURNING request_id""";

    /** Stores a group's final records: one row per request id of {@code $1}. */
    static final String COMPLETE_ALL = """
            UPDATE action_execution AS e
            SET status = o.status, final_result = o.final_result, lease_until = NULL, updated_at = now(),
                version = e.version + 1
            FROM unnest($1::varchar[], $2::varchar[], $3::text[]) AS o(request_id, status, final_result)
            WHERE e.request_id = o.request_id""";

    private final Pool pool;
    private final GroupCommit<NewClaim, Boolean> inserts;
    private final GroupCommit<Outcome, Boolean> outcomes;
    private final GroupCommit<String, Boolean> publications;

    ActionExecutions(Pool pool) {
        this.pool = pool;
        this.inserts = new GroupCommit<>(this::insertAll, MAX_BATCH, STATEMENTS_AT_ONCE, WithoutContextPropagation::run,
                ActionExecutions::refusedForItsContent);
        this.outcomes = new GroupCommit<>(this::completeAll, MAX_BATCH, STATEMENTS_AT_ONCE,
                WithoutContextPropagation::run, ActionExecutions::refusedForItsContent);
        this.publications = new GroupCommit<>(this::publishedAll, MAX_BATCH, 1, WithoutContextPropagation::run,
                ActionExecutions::refusedForItsContent);
    }

    /**
     * @return whether PostgreSQL refused a statement for a value it was given (SQLSTATE class 22, data exception, or
     *         23, integrity constraint violation), rather than being away: retrying the same values cannot help
     */
    static boolean refusedForItsContent(Throwable failure) {
        return failure instanceof PgException pg && pg.getSqlState() != null
                && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"));
    }

    /**
     * SQLSTATEs that only one request's own values cause: a string too long (22001), a number out of range (22003),
     * a character the encoding cannot hold (22021, 22P05), a check constraint or a trigger's refusal (23514). Unlike
     * the rest of classes 22 and 23 (a NOT NULL column added by a newer migration during a rolling upgrade, a bad
     * setting), they cannot refuse every request at once.
     */
    private static final java.util.Set<String> REFUSED_FOR_ITS_OWN_VALUES = java.util.Set.of("22001", "22003", "22021",
            "22P05", "23514");

    /**
     * @return whether PostgreSQL refused a statement for the values of the request itself, so that it may be answered
     *         with an error instead of retried: any other refusal may be everyone's, and is retried
     */
    static boolean refusedForItsOwnValues(Throwable failure) {
        return failure instanceof PgException pg && REFUSED_FOR_ITS_OWN_VALUES.contains(pg.getSqlState());
    }

    /**
     * Records the request as RUNNING on this node, or tells what became of it earlier. Claims of concurrent
     * requests are inserted together (group commit), and only a request whose row exists already costs more.
     */
    public Uni<Claim> claim(String requestId, String pluginId, String action, String nodeId, Duration lease,
            int partition, long offset) {
        return inserts.submit(new NewClaim(requestId, pluginId, action, nodeId, lease.toMillis(), partition, offset))
                .flatMap(inserted -> inserted
                        ? Uni.createFrom().item((Claim) new Run())
                        : existing(requestId, nodeId, lease, partition, offset));
    }

    /**
     * Extends the lease of a request this node is running, so that no other replica takes over a live call.
     *
     * @return false if the row is no longer this node's running request (finished, or taken over)
     */
    public Uni<Boolean> renew(String requestId, String nodeId, Duration lease) {
        return pool.preparedQuery("""
                UPDATE action_execution SET lease_until = now() + ($3 * interval '1 millisecond')
                WHERE request_id = $1 AND node_id = $2 AND status = 'RUNNING'""")
                .execute(Tuple.of(requestId, nodeId, lease.toMillis()))
                .map(updated -> updated.rowCount() == 1);
    }

    /**
     * Extends the leases of the requests this node is running, in one statement.
     *
     * @return the ids whose lease was extended; a missing one is no longer this node's running request
     */
    public Uni<Set<String>> renewAll(List<String> requestIds, String nodeId, Duration lease) {
        return pool.preparedQuery(RENEW_ALL)
                .execute(Tuple.of(requestIds.toArray(String[]::new), nodeId, lease.toMillis()))
                .map(rows -> {
                    Set<String> renewed = new HashSet<>();
                    rows.forEach(row -> renewed.add(row.getString(0)));
                    return renewed;
                });
    }

    private Uni<List<Boolean>> insertAll(List<NewClaim> claims) {
        return pool.preparedQuery("""
                INSERT INTO action_execution (request_id, plugin_id, action, status, node_id, lease_until,
                                              source_partition, source_offset)
                SELECT r, p, a, 'RUNNING', n, now() + (l * interval '1 millisecond'), sp, so
                FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::bigint[], $6::int[],
                            $7::bigint[]) AS c(r, p, a, n, l, sp, so)
                ON CONFLICT (request_id) DO NOTHING
                RETURNING request_id""")
                .execute(Tuple.from(new Object[] {
                    column(claims, NewClaim::requestId, String[]::new),
                    column(claims, NewClaim::pluginId, String[]::new),
                    column(claims, NewClaim::action, String[]::new),
                    column(claims, NewClaim::nodeId, String[]::new),
                    column(claims, NewClaim::leaseMillis, Long[]::new),
                    column(claims, NewClaim::partition, Integer[]::new),
                    column(claims, NewClaim::offset, Long[]::new)}))
                .map(rows -> {
                    Set<String> inserted = new HashSet<>();
                    rows.forEach(row -> inserted.add(row.getString(0)));
                    return claims.stream().map(c -> inserted.contains(c.requestId())).toList();
                });
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
                WHERE request_id = $1 AND status = 'RUNNING' AND (lease_until <= now() OR node_id = $2)
                RETURNING created_at""")
                .execute(Tuple.of(requestId, nodeId, lease.toMillis(), partition, offset))
                .flatMap(updated -> updated.rowCount() == 1
                        ? Uni.createFrom().item((Claim) new TakenOver(
                                updated.iterator().next().getOffsetDateTime(0).toInstant()))
                        : existing(requestId, nodeId, lease, partition, offset));
    }

    /**
     * Stores the final (or error) record once the broker acknowledged it, and marks it published, in one write
     * (group-committed with concurrent requests). Written after the ack rather than before, this write is not on
     * the request's latency path; a replica dying between the ack and this write leaves the row RUNNING, and the
     * replica that takes it over finds the final record on the topic ({@link TakenOver}) instead of running again.
     */
    public Uni<Void> finished(String requestId, String finalRecord) {
        return outcomes.submit(new Outcome(requestId, PUBLISHED, finalRecord)).replaceWithVoid();
    }

    /** Notes that the broker acknowledged the stored final record of a COMPLETED or FAILED row. */
    public Uni<Void> published(String requestId) {
        return publications.submit(requestId).replaceWithVoid();
    }

    private Uni<List<Boolean>> completeAll(List<Outcome> done) {
        return pool.preparedQuery(COMPLETE_ALL)
                .execute(Tuple.of(column(done, Outcome::requestId, String[]::new),
                        column(done, Outcome::status, String[]::new), column(done, Outcome::finalRecord, String[]::new)))
                .map(ignored -> done.stream().map(d -> Boolean.TRUE).toList());
    }

    private Uni<List<Boolean>> publishedAll(List<String> requestIds) {
        return pool.preparedQuery("""
                UPDATE action_execution SET status = 'PUBLISHED', updated_at = now()
                WHERE request_id = ANY($1::varchar[])""")
                .execute(Tuple.of(requestIds.toArray(String[]::new)))
                .map(ignored -> requestIds.stream().map(r -> Boolean.TRUE).toList());
    }

    /**
     * Deletes up to {@code limit} rows of requests received more than {@code retention} ago that finished, or whose
     * lease ended more than {@code retention} ago (their replica died and nobody ran them again). A running request
     * with a live lease is never deleted. Rows another replica is deleting at the same moment are skipped.
     *
     * @return the rows deleted
     */
    public Uni<Integer> forgetOlderThan(Duration retention, int limit) {
        return pool.preparedQuery("""
                DELETE FROM action_execution WHERE request_id IN (
                    SELECT request_id FROM action_execution
                    WHERE created_at < now() - ($1 * interval '1 millisecond')
                      AND (status <> 'RUNNING' OR lease_until < now() - ($1 * interval '1 millisecond'))
                    ORDER BY created_at
                    LIMIT $2
                    FOR UPDATE SKIP LOCKED)""")
                .execute(Tuple.of(retention.toMillis(), limit))
                .map(deleted -> deleted.rowCount());
    }

    private static <T, C> C[] column(List<T> rows, Function<T, C> field, IntFunction<C[]> array) {
        C[] column = array.apply(rows.size());
        for (int i = 0; i < column.length; i++) {
            column[i] = field.apply(rows.get(i));
        }
        return column;
    }

    /** A claim waiting for its group's INSERT. */
    private record NewClaim(String requestId, String pluginId, String action, String nodeId, Long leaseMillis,
            Integer partition, Long offset) {
    }

    /** A final record waiting for its group's UPDATE. */
    private record Outcome(String requestId, String status, String finalRecord) {
    }
}
