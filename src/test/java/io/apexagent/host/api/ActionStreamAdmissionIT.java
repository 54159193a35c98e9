package io.apexagent.host.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.apexagent.host.testing.TestPluginDirectory;
import io.apexagent.host.testing.TestPlugins;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * A stream that cannot run is refused before the event stream starts, with the status and error body of the
 * non-streaming call, instead of a 200 that breaks off.
 */
@QuarkusTest
class ActionStreamAdmissionIT {

    @Test
    void anUnknownPluginOrActionIsA404() {
        stream("nope", "x", Map.of()).statusCode(404).body("type", equalTo("plugin_not_found"))
                .body("pluginId", equalTo("nope"));
        stream("ticker", "nope", Map.of()).statusCode(404).body("type", equalTo("action_not_found"))
                .body("message", containsString("has no action 'nope'"));
        stream("echo", "echo", Map.of("text", "hi")).statusCode(404).body("type", equalTo("action_not_found"))
                .body("message", containsString("does not stream"));
    }

    @Test
    void invalidParametersAreA400() {
        stream("ticker", "count", Map.of("from", 1)).statusCode(400).body("type", equalTo("invalid_parameters"))
                .body("message", containsString("parameters_schema"));
    }

    @Test
    void aPluginThatIsNotActiveIsA503AndStreamsAgainOnceResumed() {
        TestPlugins.plugin("sse-pausable").action("tick", true).javaSource("ssepausable.Ticks", """
                package ssepausable;
                import java.util.Map;
                import io.apexagent.plugin.AbstractPlugin;
                import io.apexagent.plugin.ActionChunk;
                import io.apexagent.plugin.StreamingPlugin;
                import io.smallrye.mutiny.Multi;
                import io.smallrye.mutiny.Uni;
                public class Ticks extends AbstractPlugin implements StreamingPlugin {
                    @Override public Uni<Object> executeAction(String action, Map<String, Object> params) {
                        return Uni.createFrom().item(Map.of());
                    }
                    @Override public Multi<ActionChunk> streamAction(String action, Map<String, Object> params) {
                        return Multi.createFrom().items(1, 2).map(n -> ActionChunk.of(Map.of("n", n)));
                    }
                }
                """).writeTo(TestPluginDirectory.path());
        given().post("/plugins/rescan").then().statusCode(200);
        given().post("/plugins/sse-pausable/pause?scope=local").then().statusCode(200);

        stream("sse-pausable", "tick", Map.of()).statusCode(503).body("type", equalTo("unavailable"))
                .body("message", containsString("it is paused"));

        given().post("/plugins/sse-pausable/resume?scope=local").then().statusCode(200);
        stream("sse-pausable", "tick", Map.of()).statusCode(200)
                .contentType(containsString("text/event-stream")).body(containsString("\"n\":2"));
    }

    private static ValidatableResponse stream(String plugin, String action, Map<String, Object> params) {
        return given().contentType(ContentType.JSON).body(params)
                .post("/plugins/" + plugin + "/actions/" + action + "/stream").then();
    }
}
