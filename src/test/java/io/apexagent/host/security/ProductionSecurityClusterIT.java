package io.apexagent.host.security;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.apexagent.host.security.cli.PluginSigner;
import io.apexagent.host.testing.HostProcess;
import io.apexagent.host.testing.TestAuth;
import io.apexagent.host.testing.TestPlugins;

/**
 * The packaged host in the production profile with its production security settings: signatures
 * required (the suite's test key trusted), bearer tokens for the admin API and no password users.
 */
class ProductionSecurityClusterIT {

    static final Path PLUGINS = Path.of("target/cluster/prod-security-plugins").toAbsolutePath();
    static HostProcess host;

    @BeforeAll
    static void startHost() throws Exception {
        TestPlugins.plugin("prod-unsigned").action("hello").javaSource("produnsigned.Hello", source("produnsigned"))
                .writeTo(PLUGINS);
        Path signed = TestPlugins.plugin("prod-signed").action("hello").javaSource("prodsigned.Hello",
                source("prodsigned")).writeTo(PLUGINS).directory();
        PluginSigner.sign(signed, PluginSigner.readPrivateKey(SignatureVerifierTest.TEST_KEY));
        host = HostProcess.start("node-prod-security", Map.of(
                "APEX_SECURITY_SIGNATURES", "required",
                "APEX_SECURITY_TRUSTED_KEYS", SignatureVerifierTest.TEST_PUB.toAbsolutePath().toString(),
                "APEX_PLUGINS_DIRS", PLUGINS.toString()));
    }

    @AfterAll
    static void stopHost() throws Exception {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void anUnsignedPluginIsRefusedAndASignedOneServes() {
        await("plugins loaded").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().baseUri(host.baseUrl()).get("/plugins/prod-signed").then().statusCode(200)
                        .body("state", equalTo("ACTIVE")));
        given().baseUri(host.baseUrl()).get("/plugins/prod-unsigned").then().statusCode(200)
                .body("state", equalTo("FAILED"))
                .body("reason", allOf(containsString("plugin prod-unsigned is not signed"),
                        containsString("'required'")));
        given().baseUri(host.baseUrl()).contentType("application/json").body("{}")
                .post("/plugins/prod-signed/actions/hello").then().statusCode(200).body("result.ok", equalTo(true));
    }

    @Test
    void onlyBearerTokensOfTheConfiguredIssuerAreAccepted() {
        given().baseUri(host.baseUrl()).auth().none().get("/plugins").then().statusCode(401);
        given().baseUri(host.baseUrl()).auth().preemptive().basic("admin", "admin-dev").get("/plugins")
                .then().statusCode(401);
        given().baseUri(host.baseUrl()).auth().preemptive().basic("admin", TestAuth.password("admin"))
                .get("/plugins").then().statusCode(401);
        given().baseUri(host.baseUrl()).auth().oauth2(TestAuth.token("ops", "viewer")).get("/plugins")
                .then().statusCode(200);
        given().baseUri(host.baseUrl()).auth().oauth2(TestAuth.token("ops", "viewer"))
                .post("/plugins/rescan").then().statusCode(403);
        given().baseUri(host.baseUrl()).auth().none().get("/q/health/ready").then().statusCode(200);
    }

    private static String source(String pkg) {
        return """
                package %s;
                import java.util.Map;
                import io.apexagent.plugin.AbstractPlugin;
                import io.smallrye.mutiny.Uni;
                public class Hello extends AbstractPlugin {
                    @Override
                    public Uni<Object> executeAction(String action, Map<String, Object> params) {
                        return Uni.createFrom().item(Map.of("ok", true));
                    }
                }
                """.formatted(pkg);
    }
}
