package io.apexagent.host.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The idempotency record of the durable pass-through: the least a consumer → producer needs to do in PostgreSQL to
 * keep the action path's promise (a request is recorded before it runs, and its final record is stored so that a
 * redelivery is answered from it). Its table is a copy of {@code action_execution}; each poll's
 * requests are claimed in one statement and each batch of acknowledged results stored in one, both on the loop's
 * own connection with auto-commit, so one transaction (and one WAL flush) per batch. Not thread-safe.
 */
final class PassThroughLedger implements AutoCloseable {

    /** The host's own table, copied with its defaults, keys and indexes (its migrations have run by then). */
    private static final String TABLE = "CREATE TABLE IF NOT EXISTS bench_pass_through (LIKE action_execution INCLUDING ALL)";

    /** As {@code ActionExecutions}' claim. */
    private static final String CLAIM = """
            INSERT INTO bench_pass_through (request_id, plugin_id, action, status, node_id, lease_until,
                                            source_partition, source_offset)
            SELECT r, p, a, 'RUNNING', 'raw', now() + interval '30 seconds', sp, so
            FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::int[], ?::bigint[]) AS c(r, p, a, sp, so)
            ON CONFLICT (request_id) DO NOTHING
            RETURNING request_id""";

    /** As {@code ActionExecutions.COMPLETE_ALL}, with the published mark of the same write. */
    private static final String COMPLETE = """
            UPDATE bench_pass_through AS e
            SET status = 'PUBLISHED', final_result = o.final_result, lease_until = NULL, updated_at = now(),
                version = e.version + 1
            FROM unnest(?::varchar[], ?::text[]) AS o(request_id, final_result)
            WHERE e.request_id = o.request_id""";

    private final Connection connection;
    private final PreparedStatement claim;
    private final PreparedStatement complete;

    PassThroughLedger(String jdbcUrl) throws SQLException {
        this.connection = java.sql.DriverManager.getConnection(jdbcUrl, "postgres", "");
        try (Statement ddl = connection.createStatement()) {
            // As the host's pool (application.properties): a generic plan of the unnest join scans the whole table.
            ddl.execute("SET plan_cache_mode = force_custom_plan");
            ddl.execute(TABLE);
        }
        this.claim = connection.prepareStatement(CLAIM);
        this.complete = connection.prepareStatement(COMPLETE);
    }

    /** One request read from a partition, to be claimed. */
    record Request(String requestId, String pluginId, String action, int partition, long offset) {
    }

    /** @return the ids that were not recorded before (all of them, unless the load driver repeats one) */
    Set<String> claim(List<Request> requests) throws SQLException {
        claim.setArray(1, connection.createArrayOf("varchar", requests.stream().map(Request::requestId).toArray()));
        claim.setArray(2, connection.createArrayOf("varchar", requests.stream().map(Request::pluginId).toArray()));
        claim.setArray(3, connection.createArrayOf("varchar", requests.stream().map(Request::action).toArray()));
        claim.setArray(4, connection.createArrayOf("int4", requests.stream().map(Request::partition).toArray()));
        claim.setArray(5, connection.createArrayOf("int8", requests.stream().map(Request::offset).toArray()));
        Set<String> claimed = new HashSet<>();
        try (ResultSet rows = claim.executeQuery()) {
            while (rows.next()) {
                claimed.add(rows.getString(1));
            }
        }
        return claimed;
    }

    /** Stores the final records of requests whose result the broker acknowledged. */
    void complete(List<String> requestIds, List<String> finalResults) throws SQLException {
        complete.setArray(1, connection.createArrayOf("varchar", requestIds.toArray()));
        complete.setArray(2, connection.createArrayOf("text", finalResults.toArray()));
        complete.executeUpdate();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
