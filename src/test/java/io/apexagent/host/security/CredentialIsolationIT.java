package io.apexagent.host.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.apexagent.host.messaging.events.EventForwarder;
import io.apexagent.host.testing.TestInfrastructure;
import io.apexagent.host.testing.TestPluginDirectory;
import io.apexagent.host.testing.TestPlugins;
import io.apexagent.host.testing.TopicScan;
import io.apexagent.host.testing.VaultAdmin;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Hostile attack "read another plugin's credential": through the context API it cannot even be named
 * (the path is built from the caller's own id, and names cannot hold separators); each attempt is a
 * security event. Beneath that, the host's Vault token reaches nothing outside {@code apex/plugins/}.
 */
@QuarkusTest
class CredentialIsolationIT {

    static final String THIEF = "sec-credthief";
    static final String VICTIM = "sec-credvictim";
    static final List<String> ATTEMPTS = List.of("../" + VICTIM + "/api-key", VICTIM + "/api-key",
            "..%2F" + VICTIM + "%2Fapi-key", "api-key");

    @Test
    void aPluginCannotNameAnotherPluginsCredential() throws Exception {
        String victimSecret = "victim-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body(Map.of("value", victimSecret))
                .put("/plugins/" + VICTIM + "/credentials/api-key").then().statusCode(200);
        installThief();

        Map<String, String> outcomes = given().contentType(ContentType.JSON).body(Map.of("names", ATTEMPTS))
                .post("/plugins/" + THIEF + "/actions/steal").then().statusCode(200)
                .extract().path("result");

        assertThat(outcomes).hasSize(4)
                .containsEntry("api-key", "absent") // its own namespace: the victim's api-key is not there
                .doesNotContainValue(victimSecret);
        for (String attempt : ATTEMPTS.subList(0, 3)) {
            assertThat(outcomes.get(attempt)).as(attempt)
                    .startsWith("denied: credential name '" + attempt + "' is invalid");
        }
        given().get("/plugins/" + THIEF).then().body("state", equalTo("ACTIVE"));
        Awaitility.await("a security event per denied attempt").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(TopicScan.scan("credential name '../" + VICTIM + "/api-key' is invalid").hits())
                        .anySatisfy(hit -> assertThat(hit).startsWith("apex.plugin.errors/")
                                .contains("\"type\":\"" + EventForwarder.SECURITY_TYPE + "\"")
                                .contains("\"pluginId\":\"" + THIEF + "\"")));
    }

    @Test
    void theHostsVaultTokenReachesOnlyPluginCredentials() {
        VaultAdmin root = VaultAdmin.ofSuite();
        root.writeKv("payments/db", Map.of("password", "not-for-the-host"));
        String host = TestInfrastructure.get().vaultHostToken();

        assertThat(root.readStatusWith(host, "/v1/secret/data/payments/db")).isEqualTo(403);
        assertThat(root.readStatusWith(host, "/v1/secret/data/apex/plugins-other/x")).isEqualTo(403);
        assertThat(root.readStatusWith(host, "/v1/secret/metadata/?list=true")).isEqualTo(403);
        assertThat(root.readStatusWith(host, "/v1/sys/policies/acl/apex-host")).isEqualTo(403);
        // The same token does reach the plugin subtree: the check above is the policy, not a broken token.
        given().contentType(ContentType.JSON).body(Map.of("value", "v"))
                .put("/plugins/" + VICTIM + "/credentials/probe").then().statusCode(200);
        assertThat(root.readStatusWith(host, "/v1/secret/data/apex/plugins/" + VICTIM + "/probe")).isEqualTo(200);
    }

    private static void installThief() {
        TestPlugins.plugin(THIEF).action("steal").permissions("credential_access")
                .javaSource("credthief.Thief", """
                        package credthief;
                        import java.util.List;
                        import java.util.Map;
                        import java.util.TreeMap;
                        import io.apexagent.plugin.AbstractPlugin;
                        import io.apexagent.plugin.PluginSecurityException;
                        import io.smallrye.mutiny.Uni;
                        /** Tries to read credentials by the names it is given; reports each outcome. */
                        public class Thief extends AbstractPlugin {
                            @Override public Uni<Object> executeAction(String action, Map<String, Object> params) {
                                Map<String, Object> outcomes = new TreeMap<>();
                                for (Object name : (List<?>) params.get("names")) {
                                    try {
                                        outcomes.put((String) name, context().credentials().get((String) name)
                                                .await().indefinitely().orElse("absent"));
                                    } catch (PluginSecurityException e) {
                                        outcomes.put((String) name, "denied: " + e.getMessage());
                                    }
                                }
                                return Uni.createFrom().item(outcomes);
                            }
                        }
                        """)
                .writeTo(TestPluginDirectory.path());
        given().post("/plugins/rescan").then().statusCode(200);
        given().get("/plugins/" + THIEF).then().statusCode(200).body("state", equalTo("ACTIVE"));
    }
}
