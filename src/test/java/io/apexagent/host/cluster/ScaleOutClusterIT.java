package io.apexagent.host.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.apexagent.host.testing.HostProcess;
import io.apexagent.host.testing.TestInfrastructure;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Several host processes on the real broker: they share the work, a replica killed with SIGKILL
 * mid-run loses no request and duplicates no final record, and neither does a broker restart.
 */
class ScaleOutClusterIT {

    static final Map<String, String> ENV = Map.of("APEX_ACTIONS_LEASE", "10s");
    static KafkaCompanion kafka;
    static ConsumerTask<String, String> results;
    final List<HostProcess> hosts = new ArrayList<>();

    @BeforeAll
    static void connect() {
        kafka = new KafkaCompanion(TestInfrastructure.get().kafkaBootstrap());
        results = kafka.consumeStrings().withGroupId("cluster-it-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics("apex.actions.results");
    }

    @AfterAll
    static void disconnect() {
        results.stop();
        kafka.close();
    }

    @AfterEach
    void stopHosts() throws InterruptedException {
        for (HostProcess h : hosts) {
            h.close();
        }
    }

    @Test
    void twoReplicasShareTheRequestsOfSixPartitions() throws Exception {
        hosts.add(HostProcess.start("node-a", ENV));
        hosts.add(HostProcess.start("node-b", ENV));
        awaitGroupMembersWithPartitions("node-a", "node-b");
        List<String> ids = ActionTraffic.sendEcho(kafka, "share-", 600);
        Map<String, List<JsonNode>> finals = awaitOneFinalEach(ids, Duration.ofMinutes(2), hosts);
        Map<String, Long> byNode = finals.values().stream().map(l -> l.get(0).path("nodeId").asText())
                .collect(Collectors.groupingBy(n -> n, Collectors.counting()));
        assertThat(byNode.keySet()).containsExactlyInAnyOrder("node-a", "node-b");
    }

    @Test
    void killingAReplicaMidRunLosesNoRequestAndDuplicatesNoFinal() throws Exception {
        HostProcess victim = HostProcess.start("node-c", ENV);
        hosts.add(victim);
        hosts.add(HostProcess.start("node-d", ENV));
        awaitGroupMembersWithPartitions("node-c", "node-d");
        List<String> ids = ActionTraffic.sendTicker(kafka, "kill-", 5000, 2, 20);
        Set<String> wanted = Set.copyOf(ids);
        // Killed mid-run while serving: both replicas have answered requests (a replica that has just joined may
        // answer its first one only after the other has answered hundreds).
        await("both replicas answering, 300 requests done").atMost(Duration.ofMinutes(1))
                .until(() -> {
                    Map<String, List<JsonNode>> done = finalsOf(wanted);
                    return done.size() >= 300 && done.values().stream().map(l -> l.get(0).path("nodeId").asText())
                            .collect(Collectors.toSet()).containsAll(Set.of("node-c", "node-d"));
                });
        victim.kill();
        long doneAtKill = finalsOf(wanted).size();

        Map<String, List<JsonNode>> finals = awaitOneFinalEach(ids, Duration.ofMinutes(4), hosts);
        Map<String, Long> byNode = finals.values().stream()
                .collect(Collectors.groupingBy(l -> l.get(0).path("nodeId").asText(), Collectors.counting()));
        assertThat(doneAtKill).isLessThan(5000);
        assertThat(byNode.keySet()).containsExactlyInAnyOrder("node-c", "node-d");
        assertThat(byNode.get("node-d")).as("requests finished by the survivor").isGreaterThan(0);
    }

    @Test
    void brokerRestartMidRunLosesNothingAndDuplicatesNoFinal() throws Exception {
        hosts.add(HostProcess.start("node-e", ENV));
        List<String> ids = ActionTraffic.sendTicker(kafka, "restart-", 1000, 3, 10);
        Set<String> wanted = Set.copyOf(ids);
        await().atMost(Duration.ofMinutes(1)).until(() -> finalsOf(wanted).size() >= 100);
        TestInfrastructure.get().stopKafka();
        TestInfrastructure.get().startKafka();
        // Every request gets exactly one final record: none lost, none written twice across the restart.
        Map<String, List<JsonNode>> finals = awaitOneFinalEach(ids, Duration.ofMinutes(4), hosts);
        System.out.println("[broker restart] requests: " + ids.size() + ", with a final record: " + finals.size());
    }

    /**
     * Waits until each of {@code nodes} owns some of the request partitions. A replica is ready once its
     * consumer polls; joining the group (two rebalances with cooperative assignment) can end later, and echo
     * requests sent before then may all be served by the replica that was there first.
     */
    static void awaitGroupMembersWithPartitions(String... nodes) {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.<String, Object>of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.get().kafkaBootstrap()))) {
            Set<String> clients = java.util.Arrays.stream(nodes)
                    .map(n -> io.apexagent.host.messaging.actions.ActionRequestPolling.CLIENT_ID_PREFIX + n)
                    .collect(Collectors.toSet());
            await("replicas " + clients + " owning partitions of the requests").atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(250)).until(() -> admin.describeConsumerGroups(List.of("apex-host"))
                            .all().get().get("apex-host").members().stream()
                            .filter(m -> !m.assignment().topicPartitions().isEmpty())
                            .map(m -> m.clientId()).collect(Collectors.toSet()).containsAll(clients));
        }
    }

    /**
     * Waits until every request has a final (or error) record, then checks none has two. On time-out, the message
     * says which requests are missing and where the thread dumps of the {@code hosts} still running are.
     */
    static Map<String, List<JsonNode>> awaitOneFinalEach(List<String> ids, Duration timeout, List<HostProcess> hosts) {
        Set<String> wanted = Set.copyOf(ids);
        try {
            await().atMost(timeout).pollInterval(Duration.ofSeconds(1))
                    .until(() -> finalsOf(wanted).keySet().containsAll(wanted));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            String dumps = hosts.stream().map(h -> h.dumpThreads("threads-at-timeout.txt"))
                    .collect(Collectors.joining("\n  ", "\n  ", ""));
            throw new AssertionError(whyMissing(wanted) + dumps, e);
        }
        // Late duplicates, if any, would show up shortly: no request may have two finals for 3 s.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> finalsOf(wanted).values().stream().allMatch(l -> l.size() == 1));
        Map<String, List<JsonNode>> finals = finalsOf(wanted);
        Map<String, Integer> duplicated = new HashMap<>();
        finals.forEach((id, list) -> {
            if (list.size() != 1) {
                duplicated.put(id, list.size());
            }
        });
        assertThat(duplicated).as("requests with more than one final record").isEmpty();
        assertThat(finals.values()).allSatisfy(l -> assertThat(l.get(0).path("type").asText()).isEqualTo("final"));
        return finals;
    }

    /** Which requests have no final record, and what {@code action_execution} says of a few of them. */
    static String whyMissing(Set<String> wanted) {
        List<String> missing = wanted.stream().filter(id -> !finalsOf(wanted).containsKey(id)).sorted().toList();
        StringBuilder why = new StringBuilder(missing.size() + " of " + wanted.size()
                + " requests have no final record; some of their action_execution rows:");
        try (var db = TestInfrastructure.get().dataSource().getConnection();
                var query = db.prepareStatement("SELECT request_id, status, node_id, lease_until, updated_at "
                        + "FROM action_execution WHERE request_id = ANY(?)")) {
            query.setArray(1, db.createArrayOf("varchar", missing.stream().limit(10).toArray()));
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    why.append("\n  ").append(rows.getString(1)).append(' ').append(rows.getString(2)).append(" on ")
                            .append(rows.getString(3)).append(", lease until ").append(rows.getString(4))
                            .append(", updated ").append(rows.getString(5));
                }
            }
        } catch (java.sql.SQLException e) {
            why.append(" (not readable: ").append(e.getMessage()).append(')');
        }
        return why.toString();
    }

    static Map<String, List<JsonNode>> finalsOf(Set<String> wanted) {
        return ActionTraffic.finalsOf(results, wanted);
    }
}
