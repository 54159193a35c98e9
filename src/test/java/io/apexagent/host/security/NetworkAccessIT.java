package io.apexagent.host.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.apexagent.host.messaging.events.EventForwarder;
import io.apexagent.host.testing.TestHttpServer;
import io.apexagent.host.testing.TestPluginDirectory;
import io.apexagent.host.testing.TestPlugins;
import io.apexagent.host.testing.TopicScan;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Plugins reach the network through {@code context.http()} only as far as their grant goes: with
 * network_access they fetch from a local server; without it, or to a host outside the operator's
 * {@code allowed-hosts} (set for {@code net-narrow} and {@code net-direct} by the suite's test resource: 127.0.0.1
 * only), nothing reaches the server and the refusal is a security event; a plugin limited to some hosts may not
 * open connections of its own.
 */
@QuarkusTest
class NetworkAccessIT {

    private static final TestHttpServer SERVER = TestHttpServer.start();
    private static boolean written;

    @AfterAll
    static void stopServer() {
        SERVER.close();
    }

    private static synchronized void writePlugins() {
        if (written) {
            return;
        }
        written = true;
        fetcher("net-open", "network_access");
        fetcher("net-none");
        fetcher("net-narrow", "network_access");
        fetcher("net-internal", "network_access");
        TestPlugins.plugin("net-direct").action("run").permissions("network_access")
                .javaSource("netdirect.Direct", """
                        package netdirect;
                        import java.util.Map;
                        import io.apexagent.plugin.AbstractPlugin;
                        import io.smallrye.mutiny.Uni;
                        public class Direct extends AbstractPlugin {
                            @Override public Uni<Object> executeAction(String action, Map<String, Object> params) {
                                try (java.net.Socket s = new java.net.Socket("127.0.0.1", 80)) {
                                    return Uni.createFrom().item(Map.of());
                                } catch (java.io.IOException e) {
                                    return Uni.createFrom().failure(e);
                                }
                            }
                        }
                        """)
                .writeTo(TestPluginDirectory.path());
        given().post("/plugins/rescan").then().statusCode(200);
    }

    @Test
    void aPluginWithNetworkAccessFetchesFromALocalServer() {
        Map<String, Object> result = fetch("net-open", SERVER.url() + "/hello");

        assertThat(result).containsEntry("status", 200).containsEntry("body", "hello from the test server");
        assertThat(SERVER.requests()).contains("GET /hello");
        given().get("/plugins/net-open").then().body("policy.allowedHosts", nullValue());
    }

    @Test
    void withoutNetworkAccessTheRequestIsRefusedAndIsASecurityEvent() {
        String url = SERVER.url() + "/never-from-net-none";
        Map<String, Object> result = fetch("net-none", url);

        assertThat(result.get("error")).asString().startsWith("PluginSecurityException: plugin net-none may not send "
                + "GET " + url + ": permission network_access is not granted");
        assertThat(SERVER.requests()).noneMatch(r -> r.contains("never-from-net-none"));
        awaitSecurityEvent("plugin net-none may not send GET");
    }

    @Test
    void aHostOutsideTheAllowedOnesIsRefusedBeforeAnyConnection() {
        given().get("/plugins/net-narrow").then().statusCode(200)
                .body("state", equalTo("ACTIVE"))
                .body("policy.allowedHosts", contains("127.0.0.1"))
                .body("policy.allowedPaths", org.hamcrest.Matchers.empty());
        // localhost is this same server under a name the operator did not allow
        String url = "http://localhost:" + SERVER.port() + "/never-from-net-narrow";
        Map<String, Object> result = fetch("net-narrow", url);

        assertThat(result.get("error")).asString().startsWith("PluginSecurityException: plugin net-narrow may not "
                + "connect to host localhost:" + SERVER.port() + ": permission network_access reaches only the hosts "
                + "the operator's policy allows, [127.0.0.1] (apex.security.policy.\"net-narrow\".allowed-hosts)");
        assertThat(SERVER.requests()).noneMatch(r -> r.contains("never-from-net-narrow"));
        awaitSecurityEvent("plugin net-narrow may not connect to host localhost");
        assertThat(fetch("net-narrow", SERVER.url() + "/hello")).containsEntry("status", 200);
    }

    @Test
    void anInternalAddressIsRefusedUnlessTheOperatorAllowsIt() {
        writePlugins();
        given().get("/plugins/net-internal").then().statusCode(200)
                .body("state", equalTo("ACTIVE"))
                .body("policy.allowedHosts", nullValue())
                .body("policy.internalAddresses", nullValue());
        // No policy for net-internal: the host's default, apex.plugins.http.allow-internal-addresses=false, applies.
        String url = "http://localhost:" + SERVER.port() + "/never-from-net-internal";
        Map<String, Object> result = fetch("net-internal", url);

        assertThat(result.get("error")).asString().startsWith("PluginSecurityException: plugin net-internal may not "
                + "connect to host localhost:" + SERVER.port() + ": its address 127.0.0.1 is loopback. "
                + "context.http() reaches internal addresses only when the operator allows it: "
                + "apex.security.policy.\"net-internal\".internal-addresses=true");
        assertThat(SERVER.requests()).noneMatch(r -> r.contains("never-from-net-internal"));
        awaitSecurityEvent("plugin net-internal may not connect to host localhost");
        // The suite's policy lets net-open reach internal addresses: the same request goes through.
        given().get("/plugins/net-open").then().body("policy.internalAddresses", equalTo(true));
        assertThat(fetch("net-open", "http://localhost:" + SERVER.port() + "/hello")).containsEntry("status", 200);
    }

    @Test
    void aRedirectToAHostOutsideTheAllowedOnesIsRefused() {
        String target = "http://localhost:" + SERVER.port() + "/redirected-target";
        Map<String, Object> result = fetch("net-narrow", SERVER.url() + "/redirect?to=" + target);

        assertThat(result.get("error")).asString().contains("may not connect to host localhost:" + SERVER.port()
                + " (redirect 1 from " + SERVER.url() + "/redirect?to=");
        assertThat(SERVER.requests()).contains("GET /redirect?to=" + target)
                .noneMatch(r -> r.startsWith("GET /redirected-target"));
    }

    @Test
    void aResponseOverTheSizeLimitFails() {
        Map<String, Object> result = fetch("net-open", SERVER.url() + "/bytes?n=20000&chunked=true", 4096);

        assertThat(result.get("error")).asString().startsWith("PluginResourceLimitException: plugin net-open: the "
                + "response of GET " + SERVER.url() + "/bytes?n=20000&chunked=true has at least")
                .contains("more than the 4096 allowed (the request's maxBodyBytes)");
    }

    @Test
    void aPluginLimitedToSomeHostsMayNotOpenConnectionsItself() {
        writePlugins();
        given().get("/plugins/net-direct").then().statusCode(200)
                .body("state", equalTo("FAILED"))
                .body("granted", contains("network_access"))
                .body("reason", allOf(containsString("plugin net-direct is refused"),
                        containsString("uses java.net.Socket.<init> which cannot be held to the hosts the operator's "
                                + "policy allows (allowed-hosts): use context.http()")));
    }

    private static void awaitSecurityEvent(String text) {
        Awaitility.await("security event: " + text).atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(TopicScan.scan(text).hits())
                        .anySatisfy(hit -> assertThat(hit).startsWith("apex.plugin.errors/")
                                .contains("\"type\":\"" + EventForwarder.SECURITY_TYPE + "\"")));
    }

    private static Map<String, Object> fetch(String pluginId, String url) {
        return fetch(pluginId, url, 0);
    }

    private static Map<String, Object> fetch(String pluginId, String url, int maxBytes) {
        writePlugins();
        return given().contentType(ContentType.JSON).body(Map.of("url", url, "max", maxBytes))
                .post("/plugins/" + pluginId + "/actions/fetch").then().statusCode(200).extract().path("result");
    }

    /** A plugin whose {@code fetch} GETs {@code url} through context.http() and answers status and body, or the error. */
    private static void fetcher(String id, String... permissions) {
        String pkg = id.replace('-', '_');
        TestPlugins.plugin(id).action("fetch").permissions(permissions)
                .javaSource(pkg + ".Fetcher", """
                        package %s;
                        import java.util.Map;
                        import io.apexagent.plugin.AbstractPlugin;
                        import io.apexagent.plugin.PluginHttp;
                        import io.smallrye.mutiny.Uni;
                        public class Fetcher extends AbstractPlugin {
                            @Override public Uni<Object> executeAction(String action, Map<String, Object> params) {
                                PluginHttp.Request request = PluginHttp.Request.get((String) params.get("url"))
                                        .withMaxBodyBytes(((Number) params.get("max")).longValue());
                                return context().http().send(request)
                                        .<Object>map(r -> Map.of("status", r.status(), "body", r.bodyAsString()))
                                        .onFailure().recoverWithItem(e -> Map.of("error",
                                                e.getClass().getSimpleName() + ": " + e.getMessage()));
                            }
                        }
                        """.formatted(pkg))
                .writeTo(TestPluginDirectory.path());
    }
}
