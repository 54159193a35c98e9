package io.apexagent.host.plugin;

import static io.apexagent.host.plugin.PluginLifecycleIT.call;
import static io.apexagent.host.plugin.PluginLifecycleIT.rescan;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.apexagent.host.events.HostEventBus;
import io.apexagent.host.plugin.lifecycle.LifecycleEvent;
import io.apexagent.host.plugin.lifecycle.PluginState;
import io.apexagent.host.testing.TestAuth;
import io.apexagent.host.testing.TestPluginDirectory;
import io.apexagent.host.testing.TestPlugins;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * Hostile plugins in the host's own JVM, over REST: each misdeed fails only its call with a clear error, the
 * host and the other plugins keep serving, and no worker, in-flight count or watched call is left behind.
 */
@QuarkusTest
class InProcessIsolationIT {

    static final Path DIR = TestPluginDirectory.path();
    static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    HostEventBus bus;

    @Inject
    PluginManager manager;

    @io.quarkus.test.common.http.TestHTTPResource("/plugins/hx-block/actions/block")
    java.net.URL blockUrl;

    @Test
    void endlessLoopIsStoppedByItsCpuBudget() {
        install("hx-loop", "hx.loop", Map.of("cpu_ms", 200), "spin", "ping");
        call("hx-loop", "spin").then().statusCode(500).body("type", equalTo("resource_limit"))
                .body("message", allOf(containsString("action hx-loop.spin exceeded its CPU budget"),
                        containsString("limit 200 (limits.cpu_ms)")));
        stillServes("hx-loop");
        nothingLeaks("hx-loop", "hx.loop");
    }

    @Test
    void streamIsStoppedByItsCpuBudgetAfterTheChunksItDelivered() {
        install("hx-stream", "hx.stream", Map.of("cpu_ms", 200), "ping");
        io.smallrye.mutiny.helpers.test.AssertSubscriber<io.apexagent.plugin.ActionChunk> chunks = manager
                .stream("hx-stream", "spinStream", Map.of()).subscribe()
                .withSubscriber(io.smallrye.mutiny.helpers.test.AssertSubscriber.create(10));
        chunks.awaitFailure(WAIT);
        assertThat(chunks.getItems()).hasSize(1);
        assertThat(chunks.getFailure()).isInstanceOf(io.apexagent.plugin.PluginResourceLimitException.class)
                .hasMessageContaining("action hx-stream.spinStream exceeded its CPU budget")
                .hasMessageContaining("limit 200 (limits.cpu_ms)");
        stillServes("hx-stream");
        nothingLeaks("hx-stream", "hx.stream");
    }

    @Test
    void allocationBombIsStoppedByItsAllocationBudgetWithoutFillingTheHeap() {
        install("hx-alloc", "hx.alloc", Map.of("alloc_mb", 64), "hoard", "ping");
        call("hx-alloc", "hoard").then().statusCode(500).body("type", equalTo("resource_limit"))
                .body("message", allOf(containsString("exceeded its allocation budget"),
                        containsString("limit 64 (limits.alloc_mb)")));
        stillServes("hx-alloc");
        nothingLeaks("hx-alloc", "hx.alloc");
    }

    @Test
    void sleepingForEverTimesOutAndTheWorkerIsInterrupted() {
        install("hx-sleep", "hx.sleep", Map.of("timeout_ms", 300), "sleep", "ping");
        call("hx-sleep", "sleep").then().statusCode(504).body("type", equalTo("timeout"))
                .body("message", containsString("did not answer within 300 ms"));
        stillServes("hx-sleep");
        nothingLeaks("hx-sleep", "hx.sleep");
    }

    @Test
    void endlessRecursionIsAClearErrorAndThePluginKeepsServing() {
        install("hx-recurse", "hx.recurse", Map.of(), "recurse", "ping");
        call("hx-recurse", "recurse").then().statusCode(500).body("type", equalTo("execution"))
                .body("message", allOf(containsString("hx-recurse.recurse ran out of stack"),
                        containsString("StackOverflowError")));
        stillServes("hx-recurse");
        given().get("/plugins/hx-recurse").then().body("state", equalTo("ACTIVE"));
        nothingLeaks("hx-recurse", "hx.recurse");
    }

    @Test
    void exceptionStormOpensTheBreakerThePluginFailsAndRecoversAfterBackoff() {
        String id = "hx-storm-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        install(id, "hx.storm", Map.of(), "boom", "ping");
        List<LifecycleEvent> events = new CopyOnWriteArrayList<>();
        MessageConsumer<LifecycleEvent> listener = bus.onLifecycle(events::add);
        try {
            for (int i = 0; i < 5; i++) {
                call(id, "boom").then().statusCode(500).body("message", containsString("exploded on purpose"));
            }
            await().atMost(WAIT).untilAsserted(() -> given().get("/plugins/" + id).then()
                    .body("state", equalTo("FAILED"))
                    .body("reason", allOf(containsString("circuit breaker opened: 5 faults within 60 s"),
                            containsString("exploded on purpose"))));
            assertThat(events).anySatisfy(e -> {
                assertThat(e.pluginId()).isEqualTo(id);
                assertThat(e.to()).isEqualTo(PluginState.FAILED);
                assertThat(e.reason()).contains("circuit breaker opened");
            });
        } finally {
            listener.unregister();
        }
        call(id, "ping").then().statusCode(503).body("message", containsString("circuit breaker opened"));
        call("echo", "echo", Map.of("text", "unaffected")).then().statusCode(200);

        await().atMost(WAIT).untilAsserted(() -> given().get("/plugins/" + id).then()
                .body("state", equalTo("ACTIVE"))
                .body("reason", containsString("automatic recovery, attempt 1")));
        call(id, "ping").then().statusCode(200).body("result.pong", equalTo(true));
        nothingLeaks(id, "hx.storm");
    }

    @Test
    void transientFailuresAreRetriedBeforeTheyCount() {
        install("hx-flaky", "hx.flaky", Map.of(), "flaky", "ping");
        call("hx-flaky", "flaky", Map.of("failures", 2)).then().statusCode(200).body("result.calls", equalTo(3));
        nothingLeaks("hx-flaky", "hx.flaky");
    }

    @Test
    void theManifestSetsHowOftenTransientFailuresAreTried() {
        install("hx-flaky-once", "hx.flakyonce", Map.of("transient_attempts", 1), "flaky", "ping");
        call("hx-flaky-once", "flaky", Map.of("failures", 1)).then().statusCode(503)
                .body("message", containsString("remote not ready, call 1"));
        call("hx-flaky-once", "flaky", Map.of("failures", 1)).then().statusCode(200).body("result.calls", equalTo(2));

        install("hx-flaky-six", "hx.flakysix", Map.of("transient_attempts", 6), "flaky", "ping");
        call("hx-flaky-six", "flaky", Map.of("failures", 5)).then().statusCode(200).body("result.calls", equalTo(6));
        nothingLeaks("hx-flaky-once", "hx.flakyonce");
        nothingLeaks("hx-flaky-six", "hx.flakysix");
    }

    @Test
    void pluginBlockingAllItsWorkersDoesNotSlowAnother() throws Exception {
        install("hx-block", "hx.block", Map.of("max_concurrency", 2), "block", "ping");
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> blockers = List.of(block(http), block(http));
        await().atMost(WAIT).untilAsserted(() -> given().get("/plugins/hx-block").then().body("inFlight", equalTo(2)));

        call("echo", "echo", Map.of("text", "fast")).then().statusCode(200).body("result.text", equalTo("fast"));
        given().get("/plugins/hx-block").then().body("inFlight", equalTo(2)); // echo did not wait for them

        for (CompletableFuture<HttpResponse<String>> blocker : blockers) {
            assertThat(blocker.get().statusCode()).isEqualTo(200);
        }
        nothingLeaks("hx-block", "hx.block");
    }

    private CompletableFuture<HttpResponse<String>> block(HttpClient http) throws java.net.URISyntaxException {
        return http.sendAsync(HttpRequest.newBuilder(blockUrl.toURI()).header("Content-Type", "application/json")
                .header("Authorization", TestAuth.basicHeader(TestAuth.DEFAULT_USER)).POST(HttpRequest.BodyPublishers.ofString("{\"ms\": 4000}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void install(String id, String pkg, Map<String, Object> limits, String... actions) {
        TestPlugins.Builder plugin = TestPlugins.plugin(id).manifestField("limits", limits).action("spinStream", true)
                .javaSource(pkg + ".MisbehavingPlugin", HostileSources.misbehaving(pkg));
        Arrays.stream(actions).forEach(plugin::action);
        plugin.writeTo(DIR);
        rescan();
        given().get("/plugins/" + id).then().statusCode(200).body("state", equalTo("ACTIVE"));
    }

    /** The faulty plugin's other actions and another plugin answer right after the fault. */
    private static void stillServes(String id) {
        call(id, "ping").then().statusCode(200).body("result.pong", equalTo(true));
        call("echo", "echo", Map.of("text", "still here")).then().statusCode(200);
    }

    /** No call in flight, none watched, no thread left running the plugin's code. */
    private void nothingLeaks(String id, String pkg) {
        await().atMost(WAIT).untilAsserted(() -> {
            given().get("/plugins/" + id).then().body("inFlight", equalTo(0));
            assertThat(threadsRunning(pkg + ".MisbehavingPlugin")).isEmpty();
            assertThat(manager.callLimits().watchedCalls()).isZero();
        });
    }

    private static List<String> threadsRunning(String className) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().equals(className)))
                .map(e -> e.getKey().getName()).toList();
    }
}
