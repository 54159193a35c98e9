package io.apexagent.host.cluster;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.apexagent.host.testing.HostProcess;
import io.apexagent.host.testing.PrometheusScrape;
import io.apexagent.host.testing.TestInfrastructure;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Events raised while the broker is down reach their topics once it is back, plugin events (a thousand of them)
 * and lifecycle events alike: auditors lose nothing to a broker restart. Admin calls and actions do not wait for
 * the broker meanwhile.
 */
class EventsAcrossBrokerOutageClusterIT {

    static final ObjectMapper JSON = new ObjectMapper();
    /** More than one: the first is sent alone, to see whether the broker is back, the others in a batch. */
    static final int HELD_EVENTS = 3;
    static final int PLUGIN_EVENTS = 1_000;

    HostProcess host;

    @AfterEach
    void stopHost() throws InterruptedException {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void eventsRaisedWhileTheBrokerIsDownArriveOnceItIsBack() throws Exception {
        host = HostProcess.start("node-outage", Map.of());
        String marker = "outage-" + UUID.randomUUID();
        TestInfrastructure infra = TestInfrastructure.get();
        infra.stopKafka();
        try {
            // Each note added publishes a plugin event (note.added, with the note's text).
            for (int i = 0; i < PLUGIN_EVENTS; i++) {
                given().baseUri(host.baseUrl()).contentType(ContentType.JSON)
                        .body(Map.of("text", marker + "-" + i)).post("/plugins/notes/actions/add")
                        .then().statusCode(200);
            }
            given().baseUri(host.baseUrl()).post("/plugins/notes/pause").then().statusCode(200);
            given().baseUri(host.baseUrl()).post("/plugins/notes/resume").then().statusCode(200);
            // A longer outage, by hand: -Doutage.extra-seconds=150 outlasts the Kafka client's default 2-minute
            // delivery time-out (the event channels allow 15 minutes).
            Thread.sleep(Duration.ofSeconds(Long.getLong("outage.extra-seconds", 0)).toMillis());
        } finally {
            infra.startKafka();
        }

        try (KafkaCompanion kafka = new KafkaCompanion(infra.kafkaBootstrap())) {
            ConsumerTask<String, String> events = kafka.consumeStrings().withGroupId("outage-it-" + UUID.randomUUID())
                    .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics("apex.plugin.events");
            ConsumerTask<String, String> lifecycle = kafka.consumeStrings()
                    .withGroupId("outage-it-" + UUID.randomUUID()).withOffsetReset(OffsetResetStrategy.EARLIEST)
                    .fromTopics("apex.plugin.lifecycle");
            Set<String> wanted = IntStream.range(0, PLUGIN_EVENTS).mapToObj(i -> "\"" + marker + "-" + i + "\"")
                    .collect(Collectors.toSet());
            try {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> assertThat(textsOf(events.getRecords(), wanted))
                                .as("plugin events raised during the outage that reached apex.plugin.events")
                                .hasSize(PLUGIN_EVENTS));
                await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(lifecycle.getRecords().stream()
                        .map(ConsumerRecord::value)
                        .filter(v -> v.contains("node-outage") && v.contains("\"notes\"")))
                        .as("lifecycle events of the pause and resume during the outage")
                        .anyMatch(v -> v.contains("\"to\":\"PAUSED\"")).anyMatch(v -> v.contains("\"from\":\"PAUSED\"")));
            } finally {
                events.stop();
                lifecycle.stop();
            }
        }
    }

    /**
     * An event the broker never acknowledged within its channel's delivery time-out (cut to 2 s here, and the wait
     * for the topic's metadata too) is held in PostgreSQL and sent again once the broker is back, whole: same
     * CloudEvent id and time. Before, it was only counted as lost.
     */
    @Test
    void anEventTheBrokerNeverAcknowledgedIsHeldAndSentAgainOnceTheBrokerIsBack() throws Exception {
        host = HostProcess.start("node-holds", Map.of("JAVA_TOOL_OPTIONS",
                "-Dmp.messaging.outgoing.plugin-events.request.timeout.ms=1000"
                        + " -Dmp.messaging.outgoing.plugin-events.delivery.timeout.ms=2000"
                        + " -Dmp.messaging.outgoing.plugin-events.max.block.ms=2000"
                        + " -Dapex.events.outbox-interval=2s -Dapex.events.outbox-claim=5s"));
        assertThat(eventCounter(host, "apex_events_held_total")).isZero();
        String marker = "held-" + UUID.randomUUID();
        TestInfrastructure infra = TestInfrastructure.get();
        infra.stopKafka();
        try {
            for (int i = 0; i < HELD_EVENTS; i++) {
                given().baseUri(host.baseUrl()).contentType(ContentType.JSON).body(Map.of("text", marker + "-" + i))
                        .post("/plugins/notes/actions/add").then().statusCode(200);
            }
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(eventCounter(host, "apex_events_held_total")).isEqualTo((double) HELD_EVENTS));
        } finally {
            infra.startKafka();
        }

        try (KafkaCompanion kafka = new KafkaCompanion(infra.kafkaBootstrap())) {
            ConsumerTask<String, String> events = kafka.consumeStrings().withGroupId("outage-it-" + UUID.randomUUID())
                    .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics("apex.plugin.events");
            try {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> assertThat(eventCounter(host, "apex_events_resent_total"))
                                .isEqualTo((double) HELD_EVENTS));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(valuesWith(events, marker)
                        .stream().map(e -> e.path("data").path("data").path("text").asText()).distinct())
                        .hasSize(HELD_EVENTS));
                // At least once: a copy whose acknowledgement was lost would carry the same id.
                List<JsonNode> copies = valuesWith(events, marker);
                assertThat(copies.stream().map(e -> e.path("id").asText()).distinct()).hasSize(HELD_EVENTS);
                assertThat(events.getRecords().stream().filter(r -> r.value().contains(marker))
                        .map(ConsumerRecord::key)).containsOnly("notes");
                JsonNode event = copies.get(0);
                assertThat(event.path("specversion").asText()).isEqualTo("1.0");
                assertThat(event.path("type").asText()).isEqualTo("io.apexagent.plugin.event");
                assertThat(event.path("nodeid").asText()).isEqualTo("node-holds");
                assertThat(event.path("pluginid").asText()).isEqualTo("notes");
                assertThat(event.path("data").path("data").path("text").asText()).startsWith(marker + "-");
                assertThat(java.time.Instant.parse(event.path("time").asText()))
                        .as("the time it happened, not the time it was sent again")
                        .isBefore(java.time.Instant.now().minusSeconds(2));
                assertThat(eventCounter(host, "apex_events_not_forwarded_total")).isZero();
            } finally {
                events.stop();
            }
        }
    }

    private static List<JsonNode> valuesWith(ConsumerTask<String, String> records, String marker) {
        return records.getRecords().stream().map(ConsumerRecord::value).filter(v -> v.contains(marker))
                .map(v -> {
                    try {
                        return JSON.readTree(v);
                    } catch (java.io.IOException e) {
                        throw new AssertionError("not JSON: " + v, e);
                    }
                }).toList();
    }

    private static double eventCounter(HostProcess host, String name) {
        String scrape = given().baseUri(host.baseUrl()).get("/q/metrics").then().statusCode(200).extract().asString();
        return PrometheusScrape.sum(scrape, name, "channel=\"plugin-events\"")
                .orElseThrow(() -> new AssertionError("no " + name + " of plugin-events in the metrics"));
    }

    /** @return the texts of {@code wanted} (JSON strings) that some record carries */
    private static Set<String> textsOf(List<ConsumerRecord<String, String>> records, Set<String> wanted) {
        return records.stream().map(ConsumerRecord::value)
                .map(v -> {
                    int at = v.indexOf("\"text\":");
                    if (at < 0) {
                        return null;
                    }
                    int end = v.indexOf('"', at + 8);
                    return end < 0 ? null : v.substring(at + 7, end + 1);
                })
                .filter(wanted::contains).collect(Collectors.toSet());
    }
}
