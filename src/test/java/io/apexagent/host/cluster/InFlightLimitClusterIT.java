package io.apexagent.host.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.junit.jupiter.api.Test;

import io.apexagent.host.testing.HostProcess;
import io.apexagent.host.testing.TestInfrastructure;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * {@code apex.actions.max-in-flight} on the real broker: a replica never runs more requests at once than it
 * allows (fetching pauses at the limit), and the requests held back in Kafka are all served, each once.
 */
class InFlightLimitClusterIT {

    static final int LIMIT = 4;
    static final int REQUESTS = 120;

    @Test
    void aReplicaRunsAtMostItsLimitAndServesEveryRequestOnce() throws Exception {
        try (KafkaCompanion kafka = new KafkaCompanion(TestInfrastructure.get().kafkaBootstrap());
                HostProcess host = HostProcess.start("node-limit",
                        Map.of("APEX_ACTIONS_MAX_IN_FLIGHT", String.valueOf(LIMIT)))) {
            ConsumerTask<String, String> results = kafka.consumeStrings().withGroupId("limit-it-" + UUID.randomUUID())
                    .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics("apex.actions.results");
            List<String> ids = ActionTraffic.sendTicker(kafka, "limit-", REQUESTS, 2, 50);
            Set<String> wanted = Set.copyOf(ids);

            // Sample what the replica runs (its claimed, unfinished requests) until every request has its final.
            AtomicInteger most = new AtomicInteger();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20)).until(() -> {
                most.accumulateAndGet(runningOn("node-limit"), Math::max);
                return ActionTraffic.finalsOf(results, wanted).size() == REQUESTS;
            });
            assertThat(most.get()).as("requests running at once on the replica").isPositive().isLessThanOrEqualTo(LIMIT);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> ActionTraffic.finalsOf(results, wanted).values().stream().allMatch(l -> l.size() == 1));
            results.stop();
        }
    }

    private static int runningOn(String node) throws java.sql.SQLException {
        try (var db = TestInfrastructure.get().dataSource().getConnection();
                var query = db.prepareStatement(
                        "SELECT count(*) FROM action_execution WHERE status = 'RUNNING' AND node_id = ?")) {
            query.setString(1, node);
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
