package io.apexagent.host.messaging.actions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.apexagent.host.testing.PrometheusScrape;
import io.apexagent.host.testing.TestInfrastructure;
import io.apexagent.host.testing.TestPluginDirectory;
import io.apexagent.host.testing.TestPlugins;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** Requests through the real broker: results, streaming, DLQ, validation errors, idempotency, events. */
@QuarkusTest
class ActionPathIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @jakarta.inject.Inject
    ActionExecutions executions;
    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;
    @jakarta.inject.Inject
    ResultLog resultLog;
    static KafkaCompanion kafka;
    static ConsumerTask<String, String> results;
    static ConsumerTask<String, String> dlq;
    static ConsumerTask<String, String> lifecycle;
    static ConsumerTask<String, String> events;
    static ConsumerTask<String, String> errors;

    @BeforeAll
    static void consume() {
        kafka = new KafkaCompanion(TestInfrastructure.get().kafkaBootstrap());
        String group = "action-path-it-" + UUID.randomUUID();
        results = kafka.consumeStrings().withGroupId(group + "-r").withOffsetReset(
                org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST).fromTopics("apex.actions.results");
        dlq = kafka.consumeStrings().withGroupId(group + "-d").withOffsetReset(
                org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST).fromTopics("apex.actions.dlq");
        lifecycle = kafka.consumeStrings().withGroupId(group + "-l").withOffsetReset(
                org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST).fromTopics("apex.plugin.lifecycle");
        events = kafka.consumeStrings().withGroupId(group + "-e").withOffsetReset(
                org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST).fromTopics("apex.plugin.events");
        errors = kafka.consumeStrings().withGroupId(group + "-x").withOffsetReset(
                org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST).fromTopics("apex.plugin.errors");
    }

    @AfterAll
    static void close() {
        List.of(results, dlq, lifecycle, events, errors).forEach(ConsumerTask::stop);
        kafka.close();
    }

    @Test
    void requestGetsOneFinalRecordKeyedByRequestId() throws Exception {
        String id = send("""
                {"requestId":"%s","pluginId":"echo","action":"echo","params":{"text":"over kafka"}}""");
        List<ConsumerRecord<String, String>> records = awaitFinal(id);
        assertThat(records).hasSize(1);
        JsonNode result = JSON.readTree(records.get(0).value());
        assertThat(result.path("type").asText()).isEqualTo("final");
        assertThat(result.path("data").path("text").asText()).isEqualTo("over kafka");
        assertThat(result.path("pluginVersion").asText()).isEqualTo("1.0.0");
        assertThat(result.path("nodeId").asText()).isEqualTo("test-node");
        assertThat(header(records.get(0), ResultPublisher.TYPE_HEADER)).isEqualTo("final");
    }

    @Test
    void streamingRequestGetsChunksInOrderThenFinal() throws Exception {
        String id = send("""
                {"requestId":"%s","pluginId":"ticker","action":"count","params":{"from":1,"to":20}}""");
        assertCountedChunksThenFinal(awaitFinal(id), 20);
    }

    /**
     * Asserts the records of a request streaming 1..{@code chunks}: that many chunk records in order (seq from 0,
     * data {@code n} from 1), then one final record counting them, and nothing else.
     */
    static void assertCountedChunksThenFinal(List<ConsumerRecord<String, String>> records, int chunks) throws Exception {
        assertThat(records).hasSize(chunks + 1);
        for (int i = 0; i < chunks; i++) {
            JsonNode chunk = JSON.readTree(records.get(i).value());
            assertThat(chunk.path("type").asText()).isEqualTo("chunk");
            assertThat(chunk.path("seq").asLong()).isEqualTo(i);
            assertThat(chunk.path("data").path("n").asInt()).isEqualTo(i + 1);
        }
        JsonNode last = JSON.readTree(records.get(chunks).value());
        assertThat(last.path("type").asText()).isEqualTo("final");
        assertThat(last.path("data").path("chunks").asInt()).isEqualTo(chunks);
    }

    @Test
    void theRequestsTraceparentIsCarriedByEachOfItsResultRecords() throws Exception {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String id = send("""
                {"requestId":"%s","pluginId":"ticker","action":"count","params":{"from":1,"to":3},
                 "traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}""");
        List<ConsumerRecord<String, String>> records = awaitFinal(id);
        assertThat(records).hasSize(4).allSatisfy(r -> assertThat(header(r, ResultPublisher.TRACEPARENT_HEADER))
                .isEqualTo(traceparent));
        String untraced = send("""
                {"requestId":"%s","pluginId":"echo","action":"echo","params":{"text":"no trace"}}""");
        assertThat(header(awaitFinal(untraced).get(0), ResultPublisher.TRACEPARENT_HEADER)).isNull();
    }

    @Test
    void theResultLogFindsAChunkByItsSeqAndAFinalByItsType() throws Exception {
        String id = send("""
                {"requestId":"%s","pluginId":"ticker","action":"count","params":{"from":1,"to":3}}""");
        awaitFinal(id);
        java.time.Instant since = java.time.Instant.now().minusSeconds(60);
        for (int i = 0; i < 3; i++) {
            // Repeated look-ups reuse the log's one consumer instead of opening one each.
            assertThat(resultLog.containsChunk(id, 2, since).await().atMost(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(resultLog.containsChunk(id, 3, since).await().atMost(Duration.ofSeconds(30))).isFalse();
        assertThat(resultLog.findFinal(id, since).await().atMost(Duration.ofSeconds(30)))
                .hasValueSatisfying(value -> assertThat(value).contains("\"type\":\"final\""));
        assertThat(resultLog.containsFinal("never-sent-" + id, since).await().atMost(Duration.ofSeconds(30))).isFalse();
    }

    @Test
    void aCrowdOfResultLookUpsIsAnsweredRightByAFewPasses() throws Exception {
        // What a replica taking over a dead one's partitions asks: hundreds of requests at once.
        List<String> done = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            done.add(send("""
                    {"requestId":"%s","pluginId":"echo","action":"echo","params":{"text":"crowd"}}"""));
        }
        done.forEach(ActionPathIT::awaitFinal);
        java.time.Instant since = java.time.Instant.now().minusSeconds(60);
        long passesBefore = resultLog.passes();
        List<java.util.concurrent.CompletableFuture<java.util.Optional<String>>> found = done.stream()
                .map(id -> resultLog.findFinal(id, since).subscribeAsCompletionStage()).toList();
        List<java.util.concurrent.CompletableFuture<Boolean>> absent = java.util.stream.IntStream.range(0, 300)
                .mapToObj(i -> resultLog.containsFinal("never-sent-" + UUID.randomUUID(), since)
                        .subscribeAsCompletionStage()).toList();

        for (int i = 0; i < done.size(); i++) {
            String id = done.get(i);
            assertThat(found.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS))
                    .hasValueSatisfying(value -> assertThat(value).contains(id).contains("\"type\":\"final\""));
        }
        for (var answer : absent) {
            assertThat(answer.get(30, java.util.concurrent.TimeUnit.SECONDS)).isFalse();
        }
        // Queued together, they are read together: not one pass of the topic per look-up.
        assertThat(resultLog.passes() - passesBefore).isLessThanOrEqualTo(10);
        // A record written after the look-up's time is not an answer to it.
        assertThat(resultLog.findFinal(done.get(0), java.time.Instant.now().plusSeconds(600))
                .await().atMost(Duration.ofSeconds(30))).isEmpty();
    }

    @Test
    void malformedRecordsGoToTheDlqWithReasonAndDoNotStallThePartition() throws Exception {
        String key = "poison-" + UUID.randomUUID();
        kafka.produceStrings().fromRecords(
                new ProducerRecord<>("apex.actions.requests", key, "{this is not json"),
                new ProducerRecord<>("apex.actions.requests", key, "{\"pluginId\":\"echo\",\"action\":\"echo\"}"))
                .awaitCompletion();
        servedBehindThePoison(key);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ConsumerRecord<String, String>> dead = deadLettersOf(key);
            assertThat(dead).hasSize(2);
            assertThat(header(dead.get(0), ResultPublisher.REASON_HEADER)).startsWith("not JSON");
            assertThat(dead.get(0).value()).isEqualTo("{this is not json");
            assertThat(header(dead.get(1), ResultPublisher.REASON_HEADER)).startsWith("missing requestId");
            assertThat(header(dead.get(0), ResultPublisher.SOURCE_HEADER)).startsWith("apex.actions.requests/");
        });
    }

    @Test
    void aRecordWithoutValueAndOneTooLargeForTheDlqDoNotStallThePartition() throws Exception {
        String key = "poison-" + UUID.randomUUID();
        // Compressed, a record can pass the broker's size limit and still exceed max-request-bytes (and the host
        // producer's max.request.size) once read: its dead letter must still get through.
        String huge = "€".repeat(400_000);
        kafka.produceStrings()
                .withProp(org.apache.kafka.clients.producer.ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip")
                .withProp(org.apache.kafka.clients.producer.ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024)
                .fromRecords(new ProducerRecord<>("apex.actions.requests", key, null),
                        new ProducerRecord<>("apex.actions.requests", key, huge))
                .awaitCompletion();
        servedBehindThePoison(key);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ConsumerRecord<String, String>> dead = deadLettersOf(key);
            assertThat(dead).hasSize(2);
            assertThat(header(dead.get(0), ResultPublisher.REASON_HEADER)).startsWith("empty record");
            assertThat(header(dead.get(1), ResultPublisher.REASON_HEADER)).startsWith("oversized record")
                    .contains("the value (400000 characters) was left out");
            assertThat(dead.get(1).value()).isEmpty();
        });
    }

    /**
     * Values PostgreSQL would refuse (a plugin id or action longer than their columns, a NUL character) are
     * answered from the parser: written to {@code action_execution}, they failed the claim on every retry, so the
     * request was never answered and its partition's offset never committed past it.
     */
    @Test
    void fieldsTheDatabaseCannotStoreAreAnsweredAndDoNotStallThePartition() throws Exception {
        String key = "unstorable-" + UUID.randomUUID();
        String longPlugin = UUID.randomUUID().toString();
        String longAction = UUID.randomUUID().toString();
        String nulInAction = UUID.randomUUID().toString();
        String nulInId = UUID.randomUUID() + "\\u0000";
        List<RecordMetadata> sent = kafka.produceStrings().fromRecords(
                request(key, longPlugin, "p".repeat(129), "echo"),
                request(key, longAction, "echo", "a".repeat(129)),
                request(key, nulInAction, "echo", "ec\\u0000ho"),
                request(key, nulInId, "echo", "echo"))
                .awaitCompletion().getRecords();
        assertError(longPlugin, "invalid_request", "/pluginId: longer than 128 characters");
        assertError(longAction, "invalid_request", "/action: longer than 128 characters");
        assertError(nulInAction, "invalid_request", "/action: contains a NUL character");
        servedBehindThePoison(key);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deadLettersOf(key))
                .singleElement().satisfies(dead -> assertThat(header(dead, ResultPublisher.REASON_HEADER))
                        .isEqualTo("requestId contains a NUL character (U+0000), which cannot be stored")));
        assertCommittedPast(sent.get(sent.size() - 1));
    }

    /**
     * A claim PostgreSQL refuses for its values, here by a trigger such as an operator might add (the parser
     * refuses every value the columns cannot hold): another attempt would be refused the same way. It used to be
     * retried for ever, so the request was never answered and its partition never committed past it.
     */
    @Test
    void aClaimTheDatabaseRefusesForItsValuesIsAnsweredOnceAndDoesNotStallThePartition() throws Exception {
        String prefix = "refused-claim-" + UUID.randomUUID();
        sql("CREATE FUNCTION refuse_test_claims() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.request_id LIKE '" + prefix + "%' THEN "
                + "RAISE EXCEPTION 'request ids starting with % are refused', '" + prefix + "' "
                + "USING ERRCODE = 'check_violation'; END IF; RETURN NEW; END $$");
        sql("CREATE TRIGGER refuse_test_claims BEFORE INSERT ON action_execution FOR EACH ROW "
                + "EXECUTE FUNCTION refuse_test_claims()");
        try {
            String key = prefix + "-key";
            String refused = prefix + "-1";
            RecordMetadata sent = kafka.produceStrings().fromRecords(request(key, refused, "echo", "echo"))
                    .awaitCompletion().getRecords().get(0);
            assertError(refused, "invalid_request", "PostgreSQL refuses its values: ERROR: request ids starting with "
                    + prefix + " are refused (23514)");
            servedBehindThePoison(key);
            assertCommittedPast(sent);
            assertThat(recordsOf(refused)).as("answered once").hasSize(1);
            assertThat(pool.preparedQuery("SELECT count(*) FROM action_execution WHERE request_id = $1")
                    .execute(io.vertx.mutiny.sqlclient.Tuple.of(refused)).await().atMost(Duration.ofSeconds(10))
                    .iterator().next().getLong(0)).as("rows of the refused request").isZero();
        } finally {
            sql("DROP TRIGGER refuse_test_claims ON action_execution");
            sql("DROP FUNCTION refuse_test_claims()");
        }
    }

    private void sql(String statement) {
        pool.query(statement).execute().await().atMost(Duration.ofSeconds(10));
    }

    /** The host's consumer group committed its offset of {@code record}'s partition past that record. */
    static void assertCommittedPast(RecordMetadata record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                kafka.consumerGroups().offsets(RequestConsumerSettings.GROUP, partition))
                .as("committed offset of %s", partition)
                .isNotNull().satisfies(committed -> assertThat(committed.offset()).isGreaterThan(record.offset())));
    }

    private static ProducerRecord<String, String> request(String key, String requestId, String pluginId, String action) {
        return new ProducerRecord<>("apex.actions.requests", key, """
                {"requestId":"%s","pluginId":"%s","action":"%s","params":{"text":"x"}}"""
                .formatted(requestId, pluginId, action));
    }

    /**
     * Results that cannot be published are the plugin's error, answered once: one Jackson cannot write (a getter
     * that throws), a final record larger than the producer takes (1 MB), and a chunk that large. Each used to
     * fail the request's handling for ever: the first ran the action again and again (pauses up to 30 s), the
     * others resent the record again and again. None was answered, and the partition never committed past them.
     */
    @Test
    void resultsThatCannotBePublishedGetAnErrorRecordOnce() throws Exception {
        TestPlugins.plugin("odd-results").action("opaque").action("huge").action("huge-chunk", true)
                .action("opaque-chunk", true)
                .javaSource("odd.results.OddResultsPlugin", """
                        package odd.results;
                        import java.util.Map;
                        import io.apexagent.plugin.AbstractPlugin;
                        import io.apexagent.plugin.ActionChunk;
                        import io.apexagent.plugin.StreamingPlugin;
                        import io.smallrye.mutiny.Multi;
                        import io.smallrye.mutiny.Uni;
                        public class OddResultsPlugin extends AbstractPlugin implements StreamingPlugin {
                            public static final class Opaque {
                                public String getValue() {
                                    throw new IllegalStateException("no value to show");
                                }
                            }
                            @Override
                            public Uni<Object> executeAction(String action, Map<String, Object> params) {
                                return Uni.createFrom().item(action.equals("huge") ? "x".repeat(2_000_000) : new Opaque());
                            }
                            @Override
                            public Multi<ActionChunk> streamAction(String action, Map<String, Object> params) {
                                Object second = action.equals("huge-chunk") ? "y".repeat(2_000_000) : new Opaque();
                                return Multi.createFrom().items(ActionChunk.of("small"), ActionChunk.of(second),
                                        ActionChunk.of("never sent"));
                            }
                        }
                        """)
                .writeTo(TestPluginDirectory.path());
        given().post("/plugins/rescan").then().statusCode(200);
        // Over HTTP too: the usual error body, and a stream's last event says what went wrong.
        given().contentType("application/json").body("{}").post("/plugins/odd-results/actions/opaque").then()
                .statusCode(500).body("type", org.hamcrest.Matchers.equalTo("execution"))
                .body("message", org.hamcrest.Matchers.containsString("returned data that is not JSON"))
                .body("pluginId", org.hamcrest.Matchers.equalTo("odd-results"));
        given().contentType("application/json").body("{}").post("/plugins/odd-results/actions/huge").then()
                .statusCode(200).body("result", org.hamcrest.Matchers.hasLength(2_000_000));
        String events = given().contentType("application/json").body("{}")
                .post("/plugins/odd-results/actions/huge-chunk/stream").then().statusCode(200).extract().asString();
        assertThat(events.lines().filter(line -> line.startsWith("data:")).toList()).hasSize(3)
                .first().asString().startsWith("data:{\"data\":\"small\"");
        events = given().contentType("application/json").body("{}")
                .post("/plugins/odd-results/actions/opaque-chunk/stream").then().statusCode(200).extract().asString();
        assertThat(events).contains("data:{\"data\":\"small\"").doesNotContain("never sent")
                .contains("event:" + io.apexagent.host.api.PluginResource.STREAM_ERROR_EVENT)
                .contains("\"type\":\"execution\"").contains("a chunk cannot be written");
        String key = "unpublishable-" + UUID.randomUUID();
        String opaque = UUID.randomUUID().toString();
        String huge = UUID.randomUUID().toString();
        String hugeChunk = UUID.randomUUID().toString();
        String opaqueChunk = UUID.randomUUID().toString();
        List<RecordMetadata> sent = kafka.produceStrings().fromRecords(
                request(key, opaque, "odd-results", "opaque"),
                request(key, huge, "odd-results", "huge"),
                request(key, hugeChunk, "odd-results", "huge-chunk"),
                request(key, opaqueChunk, "odd-results", "opaque-chunk"))
                .awaitCompletion().getRecords();

        assertError(opaque, "execution", "returned data that is not JSON");
        assertError(huge, "result_too_large", "the final record of request " + huge + " is too large");
        List<ConsumerRecord<String, String>> stream = awaitFinal(hugeChunk);
        assertThat(stream).hasSize(2);
        assertThat(JSON.readTree(stream.get(0).value()).path("data").asText()).isEqualTo("small");
        JsonNode error = JSON.readTree(stream.get(1).value());
        assertThat(error.path("seq").asLong()).as("the error takes the failed chunk's seq").isEqualTo(1);
        assertThat(error.path("error").path("type").asText()).isEqualTo("result_too_large");
        assertThat(error.path("error").path("message").asText()).startsWith("chunk 1 of request " + hugeChunk);
        stream = awaitFinal(opaqueChunk);
        assertThat(stream).hasSize(2);
        error = JSON.readTree(stream.get(1).value());
        assertThat(error.path("seq").asLong()).isEqualTo(1);
        assertThat(error.path("error").path("type").asText()).isEqualTo("execution");
        assertThat(error.path("error").path("message").asText()).startsWith("the chunk record of request " + opaqueChunk);
        assertThat(row(opaque).getString("status")).isEqualTo("PUBLISHED");
        assertCommittedPast(sent.get(sent.size() - 1));
        // Handled once: a handling run again would have published a second answer by now.
        for (String id : List.of(opaque, huge, hugeChunk, opaqueChunk)) {
            assertThat(recordsOf(id).stream().filter(r -> !"chunk".equals(header(r, ResultPublisher.TYPE_HEADER))))
                    .as(id).hasSize(1);
        }
    }

    @Test
    void invalidRequestsGetAnErrorRecordNamingTheProblem() throws Exception {
        assertError(send("""
                {"requestId":"%s","pluginId":"no-such-plugin","action":"x","params":{}}"""), "plugin_not_found", "no-such-plugin");
        assertError(send("""
                {"requestId":"%s","pluginId":"echo","action":"echo","params":{"txt":"x"}}"""), "invalid_parameters", "text");
        assertError(send("""
                {"requestId":"%s","pluginId":"echo","action":"shout","params":{}}"""), "action_not_found", "shout");
        assertError(send("""
                {"requestId":"%s","pluginId":"echo","action":"echo","params":{"text":"x"},"deadline":"2001-01-01T00:00:00Z"}"""),
                "deadline_exceeded", "2001-01-01T00:00:00Z");
        assertError(send("""
                {"requestId":"%s","pluginId":"echo","action":"echo","params":{"text":"x"},"version":"^2.0.0"}"""),
                "version_mismatch", "^2.0.0");
        assertError(send("""
                {"requestId":"%s","action":"echo"}"""), "invalid_request", "/pluginId");
        // Before, the version check threw on every retry: never answered, the partition stalled.
        assertError(send("""
                {"requestId":"%s","pluginId":"echo","action":"echo","params":{"text":"x"},"version":"not-a-range"}"""),
                "invalid_request", "/version: 'not-a-range' is not a semver range");
        // Before, read as absent: run on any version, or past the deadline.
        assertError(send("""
                {"requestId":"%s","pluginId":"echo","action":"echo","params":{"text":"x"},"deadline":978307200000}"""),
                "invalid_request", "/deadline: expected a string, got NUMBER");
        await().atMost(Duration.ofSeconds(30)).until(() -> errors.getRecords().stream()
                .anyMatch(r -> r.value().contains("no-such-plugin") && r.value().contains("\"specversion\":\"1.0\"")));
    }

    @Test
    void redeliveredRequestIdDoesNotRunTwice() throws Exception {
        String id = UUID.randomUUID().toString();
        String text = "only once " + id;
        String request = "{\"requestId\":\"" + id + "\",\"pluginId\":\"notes\",\"action\":\"add\",\"params\":{\"text\":\""
                + text + "\"}}";
        kafka.produceStrings().fromRecords(new ProducerRecord<>("apex.actions.requests", id, request)).awaitCompletion();
        JsonNode first = JSON.readTree(awaitFinal(id).get(0).value());
        kafka.produceStrings().fromRecords(new ProducerRecord<>("apex.actions.requests", id, request)).awaitCompletion();
        await().atMost(Duration.ofSeconds(30)).until(() -> recordsOf(id).size() == 2);
        JsonNode second = JSON.readTree(recordsOf(id).get(1).value());
        assertThat(second.path("data")).isEqualTo(first.path("data"));
        String notes = given().contentType("application/json").body("{}").post("/plugins/notes/actions/list")
                .then().statusCode(200).extract().asString();
        assertThat(notes.split(java.util.regex.Pattern.quote(text), -1)).hasSize(2);
    }

    @Test
    void aRequestWhoseDeadNodePublishedItsFinalRecordIsNotRunAgain() throws Exception {
        // A node claimed the request, published its final record, and died before storing it.
        String id = UUID.randomUUID().toString();
        executions.claim(id, "echo", "echo", "dead-node", Duration.ofMillis(1), 0, -1).await().atMost(Duration.ofSeconds(10));
        String published = "{\"requestId\":\"" + id + "\",\"type\":\"final\",\"nodeId\":\"dead-node\"}";
        ProducerRecord<String, String> finalRecord = new ProducerRecord<>("apex.actions.results", id, published);
        finalRecord.headers().add(ResultPublisher.TYPE_HEADER, "final".getBytes(StandardCharsets.UTF_8));
        kafka.produceStrings().fromRecords(finalRecord).awaitCompletion();

        // Its partition moved to this node, which reads the request again.
        kafka.produceStrings().fromRecords(new ProducerRecord<>("apex.actions.requests", id, "{\"requestId\":\"" + id
                + "\",\"pluginId\":\"echo\",\"action\":\"echo\",\"params\":{\"text\":\"again\"}}")).awaitCompletion();
        await().atMost(Duration.ofSeconds(30)).until(() -> "PUBLISHED".equals(row(id).getString("status")));
        assertThat(row(id).getString("final_result")).isEqualTo(published);
        assertThat(row(id).getString("node_id")).isEqualTo("test-node");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> recordsOf(id).size() == 1);
    }

    @Test
    void lifecycleAndPluginEventsReachTheirTopicsAsCloudEvents() {
        given().post("/plugins/ticker/pause").then().statusCode(200);
        given().post("/plugins/ticker/resume").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(lifecycle.getRecords()).anySatisfy(r -> {
            JsonNode ce = JSON.readTree(r.value());
            assertThat(r.key()).isEqualTo("ticker");
            assertThat(ce.path("specversion").asText()).isEqualTo("1.0");
            assertThat(ce.path("type").asText()).isEqualTo("io.apexagent.plugin.lifecycle");
            assertThat(ce.path("nodeid").asText()).isEqualTo("test-node");
            assertThat(ce.path("pluginversion").asText()).isEqualTo("1.0.0");
            assertThat(ce.path("data").path("to").asText()).isEqualTo("PAUSED");
            assertThat(ce.path("data").path("from").asText()).isEqualTo("ACTIVE");
        }));
        String text = "event " + UUID.randomUUID();
        given().contentType("application/json").body("{\"text\":\"" + text + "\"}").post("/plugins/notes/actions/add")
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events.getRecords()).anySatisfy(r -> {
            JsonNode ce = JSON.readTree(r.value());
            assertThat(r.key()).isEqualTo("notes");
            assertThat(ce.path("data").path("type").asText()).isEqualTo("note.added");
            assertThat(ce.path("data").path("data").path("text").asText()).isEqualTo(text);
        }));
    }

    @Test
    void theMetricsEndpointCountsWhatThePathAnsweredByOutcomeAndKnownPlugin() throws Exception {
        double finals = requests("final", "echo");
        double errors = requests("error", "echo");
        double unknownPluginErrors = requests("error", "unknown");
        double deadLetters = requests("dead_letter", "unknown");
        double timedFinals = metric("apex_actions_request_duration_seconds_count", "final", "echo");

        awaitFinal(send("""
                {"requestId":"%s","pluginId":"echo","action":"echo","params":{"text":"counted"}}"""));
        assertError(send("""
                {"requestId":"%s","pluginId":"echo","action":"echo","params":{"txt":"x"}}"""), "invalid_parameters", "text");
        // A plugin nobody knows is counted under "unknown": the tag takes no value a client makes up.
        String madeUp = "made-up-" + UUID.randomUUID();
        assertError(send("{\"requestId\":\"%s\",\"pluginId\":\"" + madeUp + "\",\"action\":\"x\"}"),
                "plugin_not_found", madeUp);
        String key = "counted-poison-" + UUID.randomUUID();
        kafka.produceStrings().fromRecords(new ProducerRecord<>("apex.actions.requests", key, "not json at all"))
                .awaitCompletion();
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLettersOf(key).size() == 1);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(requests("final", "echo")).isGreaterThanOrEqualTo(finals + 1);
            assertThat(requests("error", "echo")).isGreaterThanOrEqualTo(errors + 1);
            assertThat(requests("error", "unknown")).isGreaterThanOrEqualTo(unknownPluginErrors + 1);
            assertThat(requests("dead_letter", "unknown")).isGreaterThanOrEqualTo(deadLetters + 1);
            assertThat(metric("apex_actions_request_duration_seconds_count", "final", "echo"))
                    .isGreaterThanOrEqualTo(timedFinals + 1);
        });
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(scrape).doesNotContain(madeUp)
                .containsPattern("(?m)^apex_actions_in_flight(\\{[^}]*\\})? ")
                .containsPattern("(?m)^apex_actions_requests_being_run_again(\\{[^}]*\\})? 0")
                .containsPattern("(?m)^apex_actions_calls_overdue(\\{[^}]*\\})? 0")
                .containsPattern("(?m)^apex_actions_executions_deleted_total(\\{[^}]*\\})? ");
        // The host's own Kafka clients, by client id: the request consumer's lag, the result producer's sends.
        assertThat(scrape)
                .containsPattern("(?m)^kafka_consumer_fetch_manager_records_lag_max\\{[^}]*client_id=\"apex-requests-test-node\"")
                .containsPattern("(?m)^kafka_producer_record_send_total\\{[^}]*client_id=\"apex-results-test-node\"[^}]*\\} [1-9]");
    }

    /** @return the Prometheus counter of requests answered with {@code outcome} for {@code plugin} (0 if absent) */
    static double requests(String outcome, String plugin) {
        return metric("apex_actions_requests_total", outcome, plugin);
    }

    static double metric(String name, String outcome, String plugin) {
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return PrometheusScrape.sum(scrape, name, "outcome=\"" + outcome + "\"", "plugin=\"" + plugin + "\"").orElse(0);
    }

    /** Same key, same partition: a valid request behind the poison ones is still served. */
    static void servedBehindThePoison(String key) {
        String id = UUID.randomUUID().toString();
        kafka.produceStrings().fromRecords(new ProducerRecord<>("apex.actions.requests", key,
                "{\"requestId\":\"" + id + "\",\"pluginId\":\"echo\",\"action\":\"echo\",\"params\":{\"text\":\"x\"}}"))
                .awaitCompletion();
        awaitFinal(id);
    }

    static List<ConsumerRecord<String, String>> deadLettersOf(String key) {
        return dlq.getRecords().stream().filter(r -> key.equals(r.key())).toList();
    }

    static String send(String template) {
        String id = UUID.randomUUID().toString();
        kafka.produceStrings().fromRecords(new ProducerRecord<>("apex.actions.requests", id, template.formatted(id)))
                .awaitCompletion();
        return id;
    }

    static List<ConsumerRecord<String, String>> awaitFinal(String id) {
        await().atMost(Duration.ofSeconds(60)).until(() -> recordsOf(id).stream()
                .anyMatch(r -> !"chunk".equals(header(r, ResultPublisher.TYPE_HEADER))));
        return recordsOf(id);
    }

    io.vertx.mutiny.sqlclient.Row row(String requestId) {
        return pool.preparedQuery("SELECT status, final_result, node_id FROM action_execution WHERE request_id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(requestId)).await().atMost(Duration.ofSeconds(10))
                .iterator().next();
    }

    static List<ConsumerRecord<String, String>> recordsOf(String id) {
        return results.getRecords().stream().filter(r -> id.equals(r.key())).toList();
    }

    static void assertError(String id, String type, String messagePart) throws Exception {
        List<ConsumerRecord<String, String>> records = awaitFinal(id);
        assertThat(records).hasSize(1);
        JsonNode error = JSON.readTree(records.get(0).value());
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("error").path("type").asText()).as(error.toString()).isEqualTo(type);
        assertThat(error.path("error").path("message").asText()).contains(messagePart);
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

}
