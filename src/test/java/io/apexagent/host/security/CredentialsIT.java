package io.apexagent.host.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.apexagent.host.testing.CapturedLogs;
import io.apexagent.host.testing.TestInfrastructure;
import io.apexagent.host.testing.TestPluginDirectory;
import io.apexagent.host.testing.TestPlugins;
import io.apexagent.host.testing.TopicScan;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Plugin credentials end to end: written over REST into Vault, listed without values, read by the plugin
 * through its context, rotated (the plugin is told on its workers), refused when malformed, deleted; and a
 * planted secret is then looked for in every captured log record and every record of every Kafka topic.
 */
@QuarkusTest
class CredentialsIT {

    static final String PLUGIN = "cred-reader";

    @Test
    void credentialValuesNeverLeaveVaultExceptToTheirPlugin() throws Exception {
        String secret = "planted-" + UUID.randomUUID();
        String rotated = "rotated-" + UUID.randomUUID();
        try (CapturedLogs logs = CapturedLogs.start()) {
            installReader();
            // A run stopped half-way may have left the credential: start from none (its versions restart at 1).
            given().delete("/plugins/" + PLUGIN + "/credentials/api-key").then().statusCode(anyOf(is(204), is(404)));

            given().contentType(ContentType.JSON).body(Map.of("value", secret))
                    .put("/plugins/" + PLUGIN + "/credentials/api-key")
                    .then().statusCode(200)
                    .body("name", equalTo("api-key")).body("currentVersion", equalTo(1))
                    .body("createdTime", notNullValue()).body(not(containsString(secret)));
            String listed = given().get("/plugins/" + PLUGIN + "/credentials").then().statusCode(200)
                    .body("", hasSize(1)).body("[0].name", equalTo("api-key")).body("[0].currentVersion", equalTo(1))
                    .extract().asString();
            assertThat(listed).doesNotContain(secret);
            assertThat(readByPlugin("api-key")).isEqualTo(sha256(secret));

            given().contentType(ContentType.JSON).body(Map.of("value", rotated))
                    .put("/plugins/" + PLUGIN + "/credentials/api-key")
                    .then().statusCode(200).body("currentVersion", equalTo(2));
            Awaitility.await("rotation reaches the plugin").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(rotations()).anySatisfy(r -> assertThat(r).startsWith("api-key:2:")
                            .contains(PLUGIN + "@1.0.0")));
            assertThat(readByPlugin("api-key")).isEqualTo(sha256(rotated));
            Awaitility.await("rotation told to the other replicas").atMost(Duration.ofSeconds(20)).until(() ->
                    !TopicScan.scan("{\"pluginId\":\"" + PLUGIN + "\",\"name\":\"api-key\",\"version\":2,"
                            + "\"nodeId\":\"test-node\"").hits().isEmpty());

            refusals(secret);

            given().delete("/plugins/" + PLUGIN + "/credentials/api-key").then().statusCode(204);
            given().get("/plugins/" + PLUGIN + "/credentials").then().statusCode(200).body("", hasSize(0));
            assertThat(readByPlugin("api-key")).isEmpty();
            given().delete("/plugins/" + PLUGIN + "/credentials/api-key").then().statusCode(404)
                    .body("message", containsString("has no credential named 'api-key'"));

            assertNowhere(secret, logs);
            assertNowhere(rotated, logs);
        }
    }

    @Test
    void aRotationWrittenOnAnotherReplicaReachesThePluginHere() {
        installReader();
        String fromElsewhere = "{\"pluginId\":\"" + PLUGIN + "\",\"name\":\"db-password\",\"version\":41,"
                + "\"nodeId\":\"another-replica\",\"time\":\"2026-01-01T00:00:00Z\"}";
        String fromHere = fromElsewhere.replace("\"version\":41", "\"version\":42").replace("another-replica", "test-node");
        try (KafkaCompanion kafka = new KafkaCompanion(TestInfrastructure.get().kafkaBootstrap())) {
            // Sent again until seen: the replica's consumer reads from the end, and may join after a first send.
            Awaitility.await("rotation from another replica").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                        kafka.produceStrings().fromRecords(
                                new ProducerRecord<>("apex.plugin.credentials", PLUGIN, fromHere),
                                new ProducerRecord<>("apex.plugin.credentials", PLUGIN, fromElsewhere)).awaitCompletion();
                        assertThat(rotations()).anySatisfy(r -> assertThat(r).startsWith("db-password:41:"));
                    });
        }
        assertThat(rotations()).as("a replica's own rotations are not applied twice")
                .noneSatisfy(r -> assertThat(r).startsWith("db-password:42:"));
    }

    /** Bad names and values are refused with a 400 naming the problem, and the value is not echoed. */
    private static void refusals(String secret) {
        given().contentType(ContentType.JSON).body(Map.of("value", secret))
                .put("/plugins/" + PLUGIN + "/credentials/.hidden")
                .then().statusCode(400).body("type", equalTo("invalid_credential"))
                .body("message", containsString("credential name '.hidden' is invalid"))
                .body(not(containsString(secret)));
        given().contentType(ContentType.JSON).body(Map.of("value", ""))
                .put("/plugins/" + PLUGIN + "/credentials/empty")
                .then().statusCode(400).body("message", containsString("credential 'empty' of plugin cred-reader has no value"));
        given().contentType(ContentType.JSON).body(Map.of("value", secret + "x".repeat(70_000)))
                .put("/plugins/" + PLUGIN + "/credentials/huge")
                .then().statusCode(400).body("message", containsString("is longer than 65536 bytes"))
                .body(not(containsString(secret)));
        given().contentType(ContentType.JSON).body(Map.of("value", secret))
                .put("/plugins/Not_An_Id/credentials/api-key")
                .then().statusCode(400).body("message", containsString("plugin id 'Not_An_Id' is invalid"));
        Response malformed = given().contentType(ContentType.JSON).body("{\"value\": \"" + secret + "\"")
                .put("/plugins/" + PLUGIN + "/credentials/api-key");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.asString()).doesNotContain(secret);
        given().get("/plugins/" + PLUGIN + "/credentials").then().body("[0].currentVersion", equalTo(2));
    }

    private static void assertNowhere(String secret, CapturedLogs logs) throws Exception {
        assertThat(logs.lines()).as("captured log records (the host's, the plugin's among them)")
                .anyMatch(line -> line.contains("[cred-reader@1.0.0] credential api-key rotated to version 2"))
                .noneMatch(line -> line.contains(secret));
        // Events of this test (credential writes) are on Kafka before the scan starts.
        Awaitility.await("security events of the writes on Kafka").atMost(Duration.ofSeconds(20))
                .until(() -> !TopicScan.scan("credential 'api-key' of plugin " + PLUGIN + " written by admin: version 2")
                        .hits().isEmpty());
        TopicScan.Result scan = TopicScan.scan(secret);
        assertThat(scan.scanned()).as("records read").isPositive();
        assertThat(scan.hits()).as("records containing the secret").isEmpty();
    }

    private static String readByPlugin(String name) {
        return given().contentType(ContentType.JSON).body(Map.of("name", name))
                .post("/plugins/" + PLUGIN + "/actions/read").then().statusCode(200)
                .extract().path("result.sha256");
    }

    private static List<String> rotations() {
        return given().contentType(ContentType.JSON).body(Map.of()).post("/plugins/" + PLUGIN + "/actions/rotations")
                .then().statusCode(200).extract().path("result.rotations");
    }

    static String sha256(String value) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static void installReader() {
        TestPlugins.plugin(PLUGIN).action("read").action("rotations").permissions("credential_access")
                .javaSource("credreader.CredentialReader", """
                        package credreader;
                        import java.nio.charset.StandardCharsets;
                        import java.security.MessageDigest;
                        import java.util.HexFormat;
                        import java.util.List;
                        import java.util.Map;
                        import java.util.Set;
                        import java.util.concurrent.CopyOnWriteArrayList;
                        import io.apexagent.plugin.AbstractPlugin;
                        import io.apexagent.plugin.Permission;
                        import io.apexagent.plugin.SecurityAwarePlugin;
                        import io.smallrye.mutiny.Uni;
                        /** Reads its own credential (answers with a hash) and records rotations with the thread. */
                        public class CredentialReader extends AbstractPlugin implements SecurityAwarePlugin {
                            private final List<String> rotations = new CopyOnWriteArrayList<>();
                            @Override public Set<Permission> requiredPermissions() {
                                return Set.of(Permission.CREDENTIAL_ACCESS);
                            }
                            @Override public void onPermissionsGranted(Set<Permission> granted) { }
                            @Override public void onCredentialRotated(String name, int version) {
                                rotations.add(name + ":" + version + ":" + Thread.currentThread().getName());
                                context().logger().info("credential " + name + " rotated to version " + version);
                            }
                            @Override public Uni<Object> executeAction(String action, Map<String, Object> params) {
                                if (action.equals("rotations")) {
                                    return Uni.createFrom().item(Map.of("rotations", List.copyOf(rotations)));
                                }
                                return context().credentials().get((String) params.get("name"))
                                        .map(v -> Map.of("sha256", v.map(CredentialReader::sha256).orElse("")));
                            }
                            static String sha256(String value) {
                                try {
                                    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                            .digest(value.getBytes(StandardCharsets.UTF_8)));
                                } catch (java.security.NoSuchAlgorithmException e) {
                                    throw new IllegalStateException(e);
                                }
                            }
                        }
                        """)
                .writeTo(TestPluginDirectory.path());
        given().post("/plugins/rescan").then().statusCode(200);
        given().get("/plugins/" + PLUGIN).then().statusCode(200).body("state", equalTo("ACTIVE"));
    }
}
