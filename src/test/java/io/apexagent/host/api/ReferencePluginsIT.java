package io.apexagent.host.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The reference plugins of plugins/ load at start and serve over REST, SSE, events and dependencies. */
@QuarkusTest
class ReferencePluginsIT {

    @Test
    void allReferencePluginsAreActive() {
        given().get("/plugins").then().statusCode(200)
                .body("findAll { it.id in ['echo','ticker','notes','audit-listener','greeter'] }.state",
                        equalTo(List.of("ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE")));
        given().get("/plugins/greeter").then().statusCode(200)
                .body("dependencies.echo", equalTo("^1.0.0"))
                .body("granted", equalTo(List.of("plugin_invoke")))
                .body("actions", equalTo(List.of("greet")));
    }

    @Test
    void actionRunsAndAnswersJson() {
        given().contentType(ContentType.JSON).body(Map.of("text", "hello"))
                .post("/plugins/echo/actions/echo")
                .then().statusCode(200)
                .body("pluginId", equalTo("echo"))
                .body("pluginVersion", equalTo("1.0.0"))
                .body("result.text", equalTo("hello"))
                .body("result.length", equalTo(5));
    }

    @Test
    void invalidParametersAreA400NamingTheProblem() {
        given().contentType(ContentType.JSON).body(Map.of("txt", "hello"))
                .post("/plugins/echo/actions/echo")
                .then().statusCode(400)
                .body("type", equalTo("invalid_parameters"))
                .body("message", containsString("parameters_schema"))
                .body("problems", hasItem(containsString("text")));
    }

    @Test
    void unknownActionAndUnknownPluginAre404() {
        given().contentType(ContentType.JSON).body(Map.of())
                .post("/plugins/echo/actions/shout")
                .then().statusCode(404).body("type", equalTo("action_not_found"))
                .body("message", containsString("[echo, reverse]"));
        given().contentType(ContentType.JSON).body(Map.of())
                .post("/plugins/nope/actions/x")
                .then().statusCode(404).body("type", equalTo("plugin_not_found"));
    }

    @Test
    void streamingActionIsServerSentEventsInOrder() {
        String body = given().contentType(ContentType.JSON).body(Map.of("from", 1, "to", 5))
                .post("/plugins/ticker/actions/count/stream")
                .then().statusCode(200)
                .contentType(containsString("text/event-stream"))
                .extract().asString();
        List<String> events = body.lines().filter(l -> l.startsWith("data:")).toList();
        assertThat(events).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(events.get(i)).contains("\"n\":" + (i + 1));
        }
    }

    @Test
    void pluginCallsItsDependency() {
        given().contentType(ContentType.JSON).body(Map.of("name", "Ada"))
                .post("/plugins/greeter/actions/greet")
                .then().statusCode(200).body("result.greeting", equalTo("Hello, Ada!"));
    }

    @Test
    void eventPublishedByOnePluginReachesSubscriber() {
        int before = given().contentType(ContentType.JSON).body(Map.of())
                .post("/plugins/audit-listener/actions/stats").then().statusCode(200)
                .extract().path("result.seen");
        given().contentType(ContentType.JSON).body(Map.of("text", "remember the milk"))
                .post("/plugins/notes/actions/add").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().contentType(ContentType.JSON).body(Map.of())
                .post("/plugins/audit-listener/actions/stats").then().statusCode(200)
                .body("result.seen", equalTo(before + 1))
                .body("result.last.text", equalTo("remember the milk")));
    }

    @Test
    void openApiDocumentsThePluginEndpoints() {
        given().accept(ContentType.JSON).get("/q/openapi").then().statusCode(200)
                .body("paths.keySet()", hasItems("/plugins", "/plugins/{id}", "/plugins/{id}/actions/{action}"))
                .body("paths.'/plugins/{id}/actions/{action}'.post.responses.'200'.content.'application/json'.schema.'$ref'",
                        org.hamcrest.Matchers.endsWith("/ActionResult"));
    }
}
