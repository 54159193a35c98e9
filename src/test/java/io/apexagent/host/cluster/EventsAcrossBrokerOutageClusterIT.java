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
     * An event the broker never acknowledged within its channel's delivery time-out (cut to 2 s here, and the wait for
     * the topic's metadata too) is counted, so
     * that an alert can tell auditors that events were lost.
     */
    @Test
    void anEventGivenUpOnIsCountedForAlerts() throws Exception {
        host = HostProcess.start("node-gives-up", Map.of("JAVA_TOOL_OPTIONS",
                "-Dmp.messaging.outgoing.plugin-events.request.timeout.ms=1000"
                        + " -Dmp.messaging.outgoing.plugin-events.delivery.timeout.ms=2000"
                        + " -Dmp.messaging.outgoing.plugin-events.max.block.ms=2000"));
        assertThat(notForwarded(host)).isZero();
        TestInfrastructure infra = TestInfrastructure.get();
        infra.stopKafka();
        try {
            given().baseUri(host.baseUrl()).contentType(ContentType.JSON).body(Map.of("text", "lost"))
                    .post("/plugins/notes/actions/add").then().statusCode(200);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(notForwarded(host)).isEqualTo(1.0));
        } finally {
            infra.startKafka();
        }
    }

    private static double notForwarded(HostProcess host) {
        String scrape = given().baseUri(host.baseUrl()).get("/q/metrics").then().statusCode(200).extract().asString();
        return PrometheusScrape.sum(scrape, "apex_events_not_forwarded_total", "channel=\"plugin-events\"")
                .orElseThrow(() -> new AssertionError("no apex_events_not_forwarded_total of plugin-events in the metrics"));
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
