package io.apexagent.host.messaging.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.apexagent.host.config.NodeIdentity;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The idempotency guard on the real PostgreSQL: group-committed claims, outcomes, and lease renewal. */
@QuarkusTest
class ActionExecutionsIT {

    static final Duration SHORT_LEASE = Duration.ofMillis(900);
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Inject
    ActionExecutions executions;

    @Inject
    Pool pool;

    @Inject
    ExecutionRetention retention;

    @Test
    void concurrentClaimsAreEachRunOnceAndAClaimOfAFinishedRequestReplaysItsFinalRecord() {
        String prefix = "group-" + UUID.randomUUID() + "-";
        List<UniAssertSubscriber<ActionExecutions.Claim>> claims = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            claims.add(claim(prefix + i, "node-a", Duration.ofMinutes(2), i)
                    .subscribe().withSubscriber(UniAssertSubscriber.create()));
        }
        claims.forEach(c -> assertThat(c.awaitItem(TIMEOUT).getItem()).isEqualTo(new ActionExecutions.Run()));

        List<Uni<Void>> outcomes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String id = prefix + i;
            outcomes.add(executions.finished(id, "{\"n\":" + i + "}"));
        }
        Uni.join().all(outcomes).andFailFast().await().atMost(TIMEOUT);

        ActionExecutions.Claim again = claim(prefix + 7, "node-b", Duration.ofMinutes(2), 7).await().atMost(TIMEOUT);
        assertThat(again).isInstanceOfSatisfying(ActionExecutions.Done.class, done -> {
            assertThat(done.finalRecord()).isEqualTo("{\"n\":7}");
            assertThat(done.published()).isTrue();
            assertThat(done.sameRecord()).isTrue();
        });
        ActionExecutions.Claim otherRecord = claim(prefix + 8, "node-b", Duration.ofMinutes(2), 999)
                .await().atMost(TIMEOUT);
        assertThat(otherRecord).isInstanceOfSatisfying(ActionExecutions.Done.class,
                done -> assertThat(done.sameRecord()).isFalse());
    }

    /**
     * A claim PostgreSQL refuses for its values (here a plugin id longer than its column, which the request parser
     * never lets through) fails alone: the claims batched with it are written again one by one and run.
     */
    @Test
    void aClaimRefusedForItsValuesFailsAloneAndTheClaimsBatchedWithItRun() {
        String prefix = "refused-" + UUID.randomUUID() + "-";
        List<UniAssertSubscriber<ActionExecutions.Claim>> claims = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String plugin = i == 50 ? "p".repeat(RequestParser.MAX_ID_CHARS + 1) : "echo";
            claims.add(executions.claim(prefix + i, plugin, "echo", "node-a", Duration.ofMinutes(2), 0, i)
                    .subscribe().withSubscriber(UniAssertSubscriber.create()));
        }
        for (int i = 0; i < 100; i++) {
            if (i == 50) {
                assertThat(claims.get(i).awaitFailure(TIMEOUT).getFailure())
                        .matches(ActionExecutions::refusedForItsContent, "refused for its content")
                        .hasMessageContaining("value too long");
            } else {
                assertThat(claims.get(i).awaitItem(TIMEOUT).getItem()).as("claim " + i).isEqualTo(new ActionExecutions.Run());
            }
        }
    }

    /**
     * The request parser lets through ids up to {@link RequestParser#MAX_ID_CHARS}, and the node id may have
     * {@link NodeIdentity#MAX_CHARS}: each must fit its column.
     */
    @Test
    void theLongestIdsTheParserLetsThroughAreStored() {
        String suffix = "-" + UUID.randomUUID();
        String id = "x".repeat(RequestParser.MAX_ID_CHARS - suffix.length()) + suffix;
        String longest = "é".repeat(RequestParser.MAX_ID_CHARS);
        String longestNode = "n".repeat(NodeIdentity.MAX_CHARS);
        assertThat(executions.claim(id, longest, longest, longestNode, Duration.ofMinutes(2), 0, 1).await().atMost(TIMEOUT))
                .isEqualTo(new ActionExecutions.Run());
        executions.finished(id, "{}").await().atMost(TIMEOUT);
        assertThat(claim(id, "node-b", Duration.ofMinutes(2), 1).await().atMost(TIMEOUT))
                .isInstanceOf(ActionExecutions.Done.class);
    }

    @Test
    void aRunningRequestWhoseLeaseIsRenewedIsNotTakenOverAndIsOnceRenewalStops() {
        String id = "lease-" + UUID.randomUUID();
        assertThat(claim(id, "node-a", SHORT_LEASE, 1).await().atMost(TIMEOUT)).isEqualTo(new ActionExecutions.Run());
        LeaseKeeper keeper = new LeaseKeeper(executions, "node-a", SHORT_LEASE);
        AtomicBoolean callDone = new AtomicBoolean();
        // A call that runs for more than three leases.
        Uni<String> longCall = Uni.createFrom().item("result").onItem().delayIt().by(SHORT_LEASE.multipliedBy(3))
                .invoke(() -> callDone.set(true));
        UniAssertSubscriber<String> running = keeper.whileRunning(id, longCall)
                .subscribe().withSubscriber(UniAssertSubscriber.create());

        await().pollDelay(SHORT_LEASE.multipliedBy(2)).atMost(TIMEOUT).until(() -> true);
        assertThat(callDone).as("the call still runs, past its first lease").isFalse();
        assertThat(claim(id, "node-b", SHORT_LEASE, 1).await().atMost(TIMEOUT))
                .isEqualTo(new ActionExecutions.Elsewhere("node-a"));

        assertThat(running.awaitItem(TIMEOUT).getItem()).isEqualTo("result");
        // Renewal stopped with the call: once the last lease ends, another node may take the request over.
        await().pollInterval(Duration.ofMillis(100)).atMost(TIMEOUT)
                .until(() -> claim(id, "node-b", SHORT_LEASE, 1).await().atMost(TIMEOUT) instanceof ActionExecutions.TakenOver);
    }

    @Test
    void aCallThatOutrunsItsOverdueTimeIsCountedUntilItEnds() {
        String slow = "overdue-" + UUID.randomUUID();
        String quick = "prompt-" + UUID.randomUUID();
        Duration lease = Duration.ofMillis(300);
        claim(slow, "node-a", lease, 1).await().atMost(TIMEOUT);
        claim(quick, "node-a", lease, 2).await().atMost(TIMEOUT);
        LeaseKeeper keeper = new LeaseKeeper(executions, "node-a", lease, Duration.ofSeconds(1));
        UniAssertSubscriber<String> slowCall = keeper.whileRunning(slow,
                Uni.createFrom().item("late").onItem().delayIt().by(Duration.ofSeconds(3)))
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        assertThat(keeper.whileRunning(quick, Uni.createFrom().item("at once")).await().atMost(TIMEOUT))
                .isEqualTo("at once");

        await().atMost(TIMEOUT).until(() -> keeper.overdue() == 1);
        assertThat(slowCall.awaitItem(TIMEOUT).getItem()).isEqualTo("late");
        assertThat(keeper.overdue()).as("the overdue call ended").isZero();
    }

    @Test
    void withoutRenewalAnExpiredLeaseIsTakenOver() {
        String id = "expired-" + UUID.randomUUID();
        claim(id, "node-a", SHORT_LEASE, 1).await().atMost(TIMEOUT);
        assertThat(claim(id, "node-b", SHORT_LEASE, 1).await().atMost(TIMEOUT))
                .isEqualTo(new ActionExecutions.Elsewhere("node-a"));
        await().pollDelay(SHORT_LEASE).atMost(TIMEOUT).until(() -> true);
        assertThat(claim(id, "node-b", SHORT_LEASE, 1).await().atMost(TIMEOUT)).isInstanceOf(ActionExecutions.TakenOver.class);
        assertThat(executions.renew(id, "node-a", SHORT_LEASE).await().atMost(TIMEOUT))
                .as("the old node learns that the request is no longer its own").isFalse();
    }

    /**
     * The group-committed statements find rows by key through array parameters. On a connection of the host's
     * pool they must keep doing so after the table grew: a plan the connection cached while the table was small
     * (PostgreSQL's generic plan, kept until the table is next analyzed) scanned the whole table on every run.
     * Run on a fresh temporary copy of the table, never analyzed, like {@code action_execution} after a deployment.
     */
    @Test
    void statementsThatFindRowsByKeyStillUseTheKeyAfterTheTableGrew() {
        long scansOfTheWholeTable = pool.withTransaction(connection -> connection
                .query("CREATE TEMP TABLE plan_probe (LIKE action_execution INCLUDING ALL) ON COMMIT DROP").execute()
                .chain(() -> connection.query(rows("small-", 20)).execute())
                // More than five runs on one connection: PostgreSQL may then keep a generic plan.
                .chain(() -> runBoth(connection, "small-", 8))
                .chain(() -> connection.query(rows("grown-", 20_000)).execute())
                .chain(() -> tableScans(connection))
                .chain(before -> runBoth(connection, "grown-", 3).chain(() -> tableScans(connection))
                        .map(after -> after - before)))
                .await().atMost(TIMEOUT);
        assertThat(scansOfTheWholeTable).as("sequential scans of the grown table by 3 key look-ups of each statement")
                .isZero();
    }

    private static String rows(String prefix, int count) {
        return "INSERT INTO plan_probe (request_id, plugin_id, action, status, node_id) SELECT '" + prefix
                + "' || g, 'echo', 'echo', 'RUNNING', 'node-a' FROM generate_series(1, " + count + ") g";
    }

    private static Uni<Void> runBoth(SqlConnection connection, String prefix, int times) {
        Uni<Void> runs = Uni.createFrom().voidItem();
        for (int i = 1; i <= times; i++) {
            String[] ids = {prefix + i};
            runs = runs
                    .chain(() -> connection.preparedQuery(onProbe(ActionExecutions.RENEW_ALL))
                            .execute(Tuple.of(ids, "node-a", 60_000L)))
                    .chain(() -> connection.preparedQuery(onProbe(ActionExecutions.COMPLETE_ALL))
                            .execute(Tuple.of(ids, new String[] {"RUNNING"}, new String[] {"{}"})))
                    .replaceWithVoid();
        }
        return runs;
    }

    /** The statement's own text on the probe table, so that the connection prepares and caches it afresh. */
    private static String onProbe(String statement) {
        return statement.replace("action_execution", "plan_probe");
    }

    private static Uni<Long> tableScans(SqlConnection connection) {
        return connection.query("SELECT pg_stat_get_xact_numscans('plan_probe'::regclass)").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Rows past {@code apex.actions.retention} (8 days by default) are deleted, in batches, when their request
     * finished or its lease ended that long ago; a running request with a live lease and a recent one are kept.
     */
    @Test
    void theRetentionSweepDeletesOldFinishedRowsAndKeepsRunningAndRecentOnes() {
        String prefix = "retention-" + UUID.randomUUID() + "-";
        List<String> oldFinished = List.of(prefix + "old-1", prefix + "old-2", prefix + "old-3", prefix + "old-4");
        String recentFinished = prefix + "recent";
        String oldButLeased = prefix + "running";
        String oldWithLapsedLease = prefix + "abandoned";
        List<String> all = new ArrayList<>(oldFinished);
        all.addAll(List.of(recentFinished, oldButLeased, oldWithLapsedLease));
        for (String id : all) {
            claim(id, "node-a", Duration.ofMinutes(2), 1).await().atMost(TIMEOUT);
        }
        for (String id : oldFinished) {
            executions.finished(id, "{}").await().atMost(TIMEOUT);
        }
        executions.finished(recentFinished, "{}").await().atMost(TIMEOUT);
        List<String> old = new ArrayList<>(oldFinished);
        old.addAll(List.of(oldButLeased, oldWithLapsedLease));
        pool.preparedQuery("UPDATE action_execution SET created_at = now() - interval '9 days' WHERE request_id = ANY($1)")
                .execute(Tuple.of(old.toArray(String[]::new))).await().atMost(TIMEOUT);
        pool.preparedQuery("UPDATE action_execution SET lease_until = now() - interval '9 days' WHERE request_id = $1")
                .execute(Tuple.of(oldWithLapsedLease)).await().atMost(TIMEOUT);

        int deleted = retention.sweep(2).await().atMost(TIMEOUT);

        assertThat(remaining(all)).containsExactlyInAnyOrder(recentFinished, oldButLeased);
        assertThat(deleted).as("rows deleted, over several batches of 2").isGreaterThanOrEqualTo(5);
    }

    private List<String> remaining(List<String> ids) {
        return pool.preparedQuery("SELECT request_id FROM action_execution WHERE request_id = ANY($1)")
                .execute(Tuple.of(ids.toArray(String[]::new)))
                .map(rows -> {
                    List<String> found = new ArrayList<>();
                    rows.forEach(row -> found.add(row.getString(0)));
                    return found;
                })
                .await().atMost(TIMEOUT);
    }

    private Uni<ActionExecutions.Claim> claim(String id, String node, Duration lease, long offset) {
        return executions.claim(id, "echo", "echo", node, lease, 0, offset);
    }
}
