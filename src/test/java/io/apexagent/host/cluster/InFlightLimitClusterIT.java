package io.apexagent.host.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
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
            List<String> ids = new ArrayList<>();
            List<ProducerRecord<String, String>> records = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                String id = "limit-" + UUID.randomUUID();
                ids.add(id);
                records.add(new ProducerRecord<>("apex.actions.requests", id, "{\"requestId\":\"" + id
                        + "\",\"pluginId\":\"ticker\",\"action\":\"count\",\"params\":{\"from\":1,\"to\":2,"
                        + "\"interval_ms\":50}}"));
            }
            kafka.produceStrings().fromRecords(records).awaitCompletion(Duration.ofMinutes(1));
            Set<String> wanted = Set.copyOf(ids);

            // Sample what the replica runs (its claimed, unfinished requests) until every request has its final.
            AtomicInteger most = new AtomicInteger();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20)).until(() -> {
                most.accumulateAndGet(runningOn("node-limit"), Math::max);
                return finals(results, wanted).size() == REQUESTS;
            });
            assertThat(most.get()).as("requests running at once on the replica").isPositive().isLessThanOrEqualTo(LIMIT);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> finals(results, wanted).values().stream().allMatch(n -> n == 1));
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

    /** Final (or error) records per wanted request, each record counted once (by partition and offset). */
    private static Map<String, Integer> finals(ConsumerTask<String, String> results, Set<String> wanted) {
        Map<String, Integer> finals = new HashMap<>();
        Set<String> seen = new java.util.HashSet<>();
        for (ConsumerRecord<String, String> r : results.getRecords()) {
            var type = r.headers().lastHeader("apex-type");
            if (wanted.contains(r.key()) && seen.add(r.partition() + "@" + r.offset()) && type != null
                    && !"chunk".equals(new String(type.value(), StandardCharsets.UTF_8))) {
                finals.merge(r.key(), 1, Integer::sum);
            }
        }
        return finals;
    }
}
