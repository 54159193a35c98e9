package io.apexagent.host.messaging.actions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.apexagent.host.testing.PrometheusScrape;
import io.apexagent.host.testing.TestAuth;
import io.apexagent.host.testing.TestInfrastructure;
import io.apexagent.host.testing.TestPluginDirectory;
import io.apexagent.host.testing.TestPlugins;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Kafka requests to a plugin whose only worker and queue are taken by calls over HTTP: each call of theirs is
 * refused as busy, retried, and runs once the plugin has room — a stream then sends all its chunks in order and one
 * final record. (A stream refused as busy used to hang for good: the refusal was thrown out of its subscription.)
 */
@QuarkusTest
@TestProfile(BusyPluginRequestsIT.QueueOfOne.class)
class BusyPluginRequestsIT {

    /** A queue of one call per plugin, so that two calls fill a plugin with one worker. */
    public static class QueueOfOne implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("apex.plugins.queue-size", "1");
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PLUGIN = "busy-gate";
    static final Duration HOLD = Duration.ofSeconds(3);

    static KafkaCompanion kafka;
    static ConsumerTask<String, String> results;

    @TestHTTPResource("/plugins/" + PLUGIN + "/actions/hold")
    URL holdUrl;

    @BeforeAll
    static void consume() {
        kafka = new KafkaCompanion(TestInfrastructure.get().kafkaBootstrap());
        results = kafka.consumeStrings().withGroupId("busy-plugin-it-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics("apex.actions.results");
    }

    @AfterAll
    static void close() {
        results.stop();
        kafka.close();
    }

    @Test
    void requestsRefusedAsBusyWaitForRoomAndEachGetsItsWholeAnswerOnce() throws Exception {
        writePlugin();
        given().post("/plugins/rescan").then().statusCode(200);
        double refusedBefore = refusedAsBusy();

        // Two calls over HTTP: one on the plugin's only worker, then one in its queue of one. The second is sent once
        // the worker surely took the first (it is refused as busy while the first still sits in the queue).
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> holds = new java.util.ArrayList<>(List.of(hold(http)));
        awaitInFlight(1, holds);
        Thread.sleep(300);
        holds.add(hold(http));
        awaitInFlight(2, holds);

        // Over HTTP the stream has started (200) when the workers refuse it: its last event names the error.
        String refused = given().contentType("application/json").body("{\"to\":2}")
                .post("/plugins/" + PLUGIN + "/actions/count/stream").then().statusCode(200).extract().asString();
        assertThat(refused).contains("event:" + io.apexagent.host.api.PluginResource.STREAM_ERROR_EVENT)
                .contains("\"type\":\"unavailable\"").contains("busy-gate is busy").doesNotContain("\"n\":");

        String streamed = send("{\"requestId\":\"%s\",\"pluginId\":\"" + PLUGIN + "\",\"action\":\"count\","
                + "\"params\":{\"to\":5}}");
        String single = send("{\"requestId\":\"%s\",\"pluginId\":\"" + PLUGIN + "\",\"action\":\"hold\","
                + "\"params\":{\"ms\":0}}");
        await().atMost(Duration.ofSeconds(60)).until(() -> hasFinal(streamed) && hasFinal(single));

        for (CompletableFuture<HttpResponse<String>> held : holds) {
            assertThat(held.join().statusCode()).as(held.join().body()).isEqualTo(200);
        }
        ActionPathIT.assertCountedChunksThenFinal(recordsOf(streamed), 5);
        assertThat(recordsOf(single)).hasSize(1);
        assertThat(JSON.readTree(recordsOf(single).get(0).value()).path("type").asText()).isEqualTo("final");
        // The refusals happened (and were retried), rather than the requests arriving after the HTTP calls.
        assertThat(refusedAsBusy()).isGreaterThanOrEqualTo(refusedBefore + 2);
    }

    private static void awaitInFlight(int calls, List<CompletableFuture<HttpResponse<String>>> holds) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                given().get("/plugins/" + PLUGIN).then().extract().<Integer>path("inFlight"))
                .as("calls in flight; the HTTP calls: %s", answered(holds)).isEqualTo(calls));
    }

    private static List<String> answered(List<CompletableFuture<HttpResponse<String>>> calls) {
        return calls.stream().map(c -> c.isDone() ? c.join().statusCode() + " " + c.join().body() : "running").toList();
    }

    private CompletableFuture<HttpResponse<String>> hold(HttpClient http) throws Exception {
        return http.sendAsync(HttpRequest.newBuilder(holdUrl.toURI()).header("content-type", "application/json")
                .header("authorization", TestAuth.basicHeader("operator"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"ms\":" + HOLD.toMillis() + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void writePlugin() {
        TestPlugins.plugin(PLUGIN).action("hold").action("count", true)
                .manifestField("limits", Map.of("max_concurrency", 1))
                .javaSource("busy.gate.GatePlugin", """
                        package busy.gate;
                        import java.util.Map;
                        import io.apexagent.plugin.AbstractPlugin;
                        import io.apexagent.plugin.ActionChunk;
                        import io.apexagent.plugin.StreamingPlugin;
                        import io.smallrye.mutiny.Multi;
                        import io.smallrye.mutiny.Uni;
                        /** hold: keeps its worker for ms milliseconds; count: streams 1..to. */
                        public class GatePlugin extends AbstractPlugin implements StreamingPlugin {
                            @Override
                            public Uni<Object> executeAction(String action, Map<String, Object> params) {
                                long ms = ((Number) params.getOrDefault("ms", 0)).longValue();
                                return Uni.createFrom().item(() -> {
                                    try {
                                        Thread.sleep(ms);
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                    return (Object) Map.of("held_ms", ms);
                                });
                            }
                            @Override
                            public Multi<ActionChunk> streamAction(String action, Map<String, Object> params) {
                                int to = ((Number) params.getOrDefault("to", 3)).intValue();
                                return Multi.createFrom().range(1, to + 1).map(n -> ActionChunk.of(Map.of("n", n)));
                            }
                        }
                        """)
                .writeTo(TestPluginDirectory.path());
    }

    static String send(String template) {
        String id = UUID.randomUUID().toString();
        kafka.produceStrings().fromRecords(new ProducerRecord<>("apex.actions.requests", id, template.formatted(id)))
                .awaitCompletion();
        return id;
    }

    static boolean hasFinal(String id) {
        return recordsOf(id).stream().anyMatch(r -> !"chunk".equals(ActionPathIT.header(r, ResultPublisher.TYPE_HEADER)));
    }

    static List<ConsumerRecord<String, String>> recordsOf(String id) {
        return results.getRecords().stream().filter(r -> id.equals(r.key())).toList();
    }

    /** @return the counter of plugin calls refused as busy on the Kafka path */
    static double refusedAsBusy() {
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return PrometheusScrape.sum(scrape, "apex_actions_calls_refused_busy_total").orElse(0);
    }

}
