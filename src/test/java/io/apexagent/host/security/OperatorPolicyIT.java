package io.apexagent.host.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.apexagent.host.testing.TestPluginDirectory;
import io.apexagent.host.testing.TestPlugins;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The operator's policy ({@code apex.security.policy."<id>".*}, set for these plugins by the suite's test
 * resource) narrows the manifest's grant: shown by {@code GET /plugins/{id}}, applied by the load-time
 * scan and by the run-time guard, including allowed paths inside the data directory.
 */
@QuarkusTest
class OperatorPolicyIT {

    @Test
    void aDeniedPermissionMakesTheScanRefuseCodeThatNeedsIt() {
        TestPlugins.plugin("pol-scan").action("run").permissions("file_system_read", "file_system_write")
                .javaSource("polscan.Writer", """
                        package polscan;
                        import java.util.Map;
                        import io.apexagent.plugin.AbstractPlugin;
                        import io.smallrye.mutiny.Uni;
                        public class Writer extends AbstractPlugin {
                            @Override public Uni<Object> executeAction(String action, Map<String, Object> params) {
                                try {
                                    java.nio.file.Files.writeString(java.nio.file.Path.of("out.txt"), "x");
                                } catch (java.io.IOException e) {
                                    throw new IllegalStateException(e);
                                }
                                return Uni.createFrom().item(Map.of());
                            }
                        }
                        """)
                .writeTo(TestPluginDirectory.path());
        given().post("/plugins/rescan").then().statusCode(200);

        given().get("/plugins/pol-scan").then().statusCode(200)
                .body("state", equalTo("FAILED"))
                .body("permissions", contains("file_system_read", "file_system_write"))
                .body("granted", contains("file_system_read"))
                .body("policy.denied", contains("file_system_write"))
                .body("policy.allowedPaths", empty())
                .body("reason", allOf(containsString("plugin pol-scan is refused"),
                        containsString("java.nio.file.Files.writeString which needs file_system_write")));
    }

    @Test
    void deniedCallsAndPathsOutsideTheAllowedOnesFailAtRunTime() {
        TestPlugins.plugin("pol-runtime").action("run")
                .permissions("event_publish", "file_system_read", "file_system_write")
                .javaSource("polruntime.Narrowed", """
                        package polruntime;
                        import java.nio.charset.StandardCharsets;
                        import java.util.Map;
                        import java.util.TreeMap;
                        import java.util.concurrent.Callable;
                        import io.apexagent.plugin.AbstractPlugin;
                        import io.apexagent.plugin.PluginSecurityException;
                        import io.smallrye.mutiny.Uni;
                        public class Narrowed extends AbstractPlugin {
                            @Override public Uni<Object> executeAction(String action, Map<String, Object> params) {
                                Map<String, Object> outcomes = new TreeMap<>();
                                attempt(outcomes, "publish", () -> context().events().publish("x", Map.of()));
                                attempt(outcomes, "write public", () -> {
                                    context().files().write("public/a.txt", "a".getBytes(StandardCharsets.UTF_8));
                                    return null;
                                });
                                attempt(outcomes, "write private", () -> {
                                    context().files().write("private.txt", "b".getBytes(StandardCharsets.UTF_8));
                                    return null;
                                });
                                return Uni.createFrom().item(outcomes);
                            }
                            private static void attempt(Map<String, Object> outcomes, String what, Callable<?> call) {
                                try {
                                    call.call();
                                    outcomes.put(what, "allowed");
                                } catch (PluginSecurityException e) {
                                    outcomes.put(what, "denied: " + e.getMessage());
                                } catch (Exception e) {
                                    outcomes.put(what, "failed: " + e);
                                }
                            }
                        }
                        """)
                .writeTo(TestPluginDirectory.path());
        given().post("/plugins/rescan").then().statusCode(200);
        given().get("/plugins/pol-runtime").then().statusCode(200)
                .body("state", equalTo("ACTIVE"))
                .body("granted", contains("file_system_read", "file_system_write"))
                .body("policy.denied", contains("event_publish"))
                .body("policy.allowedPaths", contains("public"));

        Map<String, String> outcomes = given().contentType(ContentType.JSON).body(Map.of())
                .post("/plugins/pol-runtime/actions/run").then().statusCode(200).extract().path("result");

        assertThat(outcomes.get("publish")).startsWith("denied: plugin pol-runtime may not publish event x: "
                + "permission event_publish is denied by the operator's policy");
        assertThat(outcomes.get("write public")).isEqualTo("allowed");
        assertThat(outcomes.get("write private")).startsWith("denied: path 'private.txt' is outside the paths the "
                + "operator's policy allows: [public]");
    }
}
