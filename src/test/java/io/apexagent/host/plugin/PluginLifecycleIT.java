package io.apexagent.host.plugin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.apexagent.host.events.HostEventBus;
import io.apexagent.host.events.PluginErrorEvent;
import io.apexagent.host.plugin.lifecycle.LifecycleEvent;
import io.apexagent.host.plugin.lifecycle.PluginState;
import io.apexagent.host.testing.TestPluginDirectory;
import io.apexagent.host.testing.TestPlugins;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.eventbus.MessageConsumer;

/** Lifecycle operations end to end: REST in, plugin states and lifecycle events out. */
@QuarkusTest
class PluginLifecycleIT {

    static final Path DIR = TestPluginDirectory.path();

    @Inject
    HostEventBus bus;

    final List<LifecycleEvent> events = new CopyOnWriteArrayList<>();
    final List<PluginErrorEvent> errors = new CopyOnWriteArrayList<>();
    MessageConsumer<LifecycleEvent> consumer;
    MessageConsumer<PluginErrorEvent> errorConsumer;

    @BeforeEach
    void listen() {
        consumer = bus.onLifecycle(events::add);
        errorConsumer = bus.onError(errors::add);
    }

    @AfterEach
    void unlisten() {
        consumer.unregister();
        errorConsumer.unregister();
    }

    @Test
    void newPluginIsPickedUpByRescanAndStartedWithEveryTransitionAsAnEvent() {
        TestPlugins.plugin("lc-basic").action("hello")
                .javaSource("lc.basic.VersionedPlugin", PluginSources.versioned("lc.basic", "1.0.0"))
                .writeTo(DIR);
        rescan();
        given().get("/plugins/lc-basic").then().statusCode(200).body("state", equalTo("ACTIVE"));
        assertThat(transitionsOf("lc-basic")).containsSubsequence(
                PluginState.LOADED, PluginState.INITIALIZED, PluginState.ACTIVE);
        LifecycleEvent loaded = events.stream().filter(e -> e.pluginId().equals("lc-basic")).findFirst().orElseThrow();
        assertThat(loaded.nodeId()).isEqualTo("test-node");
        assertThat(loaded.version()).isEqualTo("1.0.0");
        assertThat(loaded.time()).isNotNull();
    }

    @Test
    void pauseRefusesCallsResumeServesAgainAndIllegalTransitionsAre409() {
        TestPlugins.plugin("lc-pause").action("hello")
                .javaSource("lc.pause.VersionedPlugin", PluginSources.versioned("lc.pause", "1.0.0"))
                .writeTo(DIR);
        rescan();
        given().post("/plugins/lc-pause/pause").then().statusCode(200).body("state", equalTo("PAUSED"));
        call("lc-pause", "hello").then().statusCode(503).body("message", containsString("paused"));
        given().post("/plugins/lc-pause/pause").then().statusCode(409)
                .body("type", equalTo("lifecycle"))
                .body("message", containsString("cannot go from PAUSED to PAUSED"));
        given().post("/plugins/lc-pause/resume").then().statusCode(200).body("state", equalTo("ACTIVE"));
        call("lc-pause", "hello").then().statusCode(200).body("result.version", equalTo("1.0.0"));
    }

    @Test
    void stoppingADependencyStopsItsDependantsFirstAndStartBringsBothBack() {
        TestPlugins.plugin("lc-base").action("hello")
                .javaSource("lc.base.VersionedPlugin", PluginSources.versioned("lc.base", "1.0.0")).writeTo(DIR);
        TestPlugins.plugin("lc-top").action("hello").dependsOn("lc-base", "^1.0.0")
                .javaSource("lc.top.VersionedPlugin", PluginSources.versioned("lc.top", "1.0.0")).writeTo(DIR);
        rescan();
        given().get("/plugins/lc-top").then().body("state", equalTo("ACTIVE"));

        given().post("/plugins/lc-base/stop").then().statusCode(200).body("state", equalTo("STOPPED"));
        given().get("/plugins/lc-top").then().body("state", equalTo("STOPPED"))
                .body("reason", equalTo("stopped because its dependency lc-base is stopping"));
        int topStopped = indexOf("lc-top", PluginState.STOPPED);
        int baseStopped = indexOf("lc-base", PluginState.STOPPED);
        assertThat(topStopped).isLessThan(baseStopped);

        given().post("/plugins/lc-top/start").then().statusCode(200).body("state", equalTo("ACTIVE"));
        given().get("/plugins/lc-base").then().body("state", equalTo("ACTIVE"));
        call("lc-top", "hello").then().statusCode(200);
    }

    @Test
    void unloadThenLoadAndStartAgain() {
        TestPlugins.plugin("lc-unload").action("hello")
                .javaSource("lc.unload.VersionedPlugin", PluginSources.versioned("lc.unload", "1.0.0")).writeTo(DIR);
        rescan();
        given().post("/plugins/lc-unload/unload").then().statusCode(200).body("state", equalTo("UNLOADED"));
        call("lc-unload", "hello").then().statusCode(503);
        given().post("/plugins/lc-unload/load").then().statusCode(200).body("state", equalTo("INITIALIZED"));
        given().post("/plugins/lc-unload/start").then().statusCode(200).body("state", equalTo("ACTIVE"));
        call("lc-unload", "hello").then().statusCode(200);
    }

    @Test
    void pluginThatThrowsInInitializeFailsAloneWithItsReason() {
        TestPlugins.plugin("lc-broken-init").action("hello")
                .javaSource("lc.brokeninit.BrokenInitPlugin", PluginSources.throwsInInitialize("lc.brokeninit"))
                .writeTo(DIR);
        rescan();
        given().get("/plugins/lc-broken-init").then().body("state", equalTo("FAILED"))
                .body("reason", allOf(containsString("initialize failed"),
                        containsString("database of the plugin is not configured")));
        call("lc-broken-init", "hello").then().statusCode(503).body("message", containsString("failed"));
        call("echo", "echo", Map.of("text", "still here")).then().statusCode(200);
        // Every error event names the version it is about, a failed start's too.
        assertErrorEventsNameVersion("lc-broken-init", "1.0.0");
    }

    /** A plugin whose code does not compile fails before any version of it is loaded; its error names the version. */
    @Test
    void aPluginThatDoesNotCompileFailsWithAnErrorNamingItsVersion() {
        TestPlugins.plugin("lc-no-compile").version("2.3.4").action("hello")
                .javaSource("lc.nocompile.NoCompilePlugin", "package lc.nocompile; public class NoCompilePlugin { oops }")
                .writeTo(DIR);
        rescan();
        given().get("/plugins/lc-no-compile").then().body("state", equalTo("FAILED"));
        assertErrorEventsNameVersion("lc-no-compile", "2.3.4");
    }

    /** A manifest that fails validation still names its version, when it declares a valid one, in its error event. */
    @Test
    void aPluginWhoseManifestIsInvalidFailsWithAnErrorNamingTheVersionItDeclares() {
        TestPlugins.plugin("lc-bad-manifest").version("3.1.4").action("hello")
                .manifestField("permissions", List.of("no_such_permission"))
                .javaSource("lc.badmanifest.BadManifestPlugin", PluginSources.versioned("lc.badmanifest", "3.1.4"))
                .writeTo(DIR);
        rescan();
        given().get("/plugins/lc-bad-manifest").then().body("state", equalTo("FAILED"));
        assertErrorEventsNameVersion("lc-bad-manifest", "3.1.4");
    }

    /** Every error event of {@code pluginId} (at least one) names {@code version}, as auditors expect. */
    private void assertErrorEventsNameVersion(String pluginId, String version) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                errors.stream().filter(e -> e.pluginId().equals(pluginId))).isNotEmpty()
                .allSatisfy(e -> assertThat(e.version()).as(e.toString()).isEqualTo(version)));
    }

    @Test
    void failedPluginIsRecoveredAutomaticallyLater() {
        // A fresh id each run: the plugin remembers its first attempt in its (persistent) data directory.
        String id = "lc-recover-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        TestPlugins.plugin(id).action("hello").permissions("file_system_read", "file_system_write")
                .javaSource("lc.recover.FailsOncePlugin", PluginSources.failsFirstInitialize("lc.recover")).writeTo(DIR);
        rescan();
        given().get("/plugins/" + id).then().body("state", equalTo("FAILED"))
                .body("reason", containsString("first start always fails"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/plugins/" + id).then().body("state", equalTo("ACTIVE"))
                        .body("reason", containsString("automatic recovery, attempt 1")));
        call(id, "hello").then().statusCode(200).body("result.recovered", equalTo(true));
    }

    @Test
    void transientInitializeFailuresAreRetried() {
        TestPlugins.plugin("lc-flaky").action("hello")
                .javaSource("lc.flaky.FlakyPlugin", PluginSources.flakyInitialize("lc.flaky", 2)).writeTo(DIR);
        rescan();
        given().get("/plugins/lc-flaky").then().body("state", equalTo("ACTIVE"));
        call("lc-flaky", "hello").then().statusCode(200).body("result.attempts", equalTo(3));
    }

    @Test
    void hangingActionTimesOutWhileOthersServe() {
        TestPlugins.plugin("lc-hang").action("wait")
                .manifestField("limits", Map.of("timeout_ms", 500))
                .javaSource("lc.hang.HangingPlugin", PluginSources.hangs("lc.hang")).writeTo(DIR);
        rescan();
        call("lc-hang", "wait").then().statusCode(504).body("type", equalTo("timeout"))
                .body("message", containsString("500 ms"));
        call("echo", "echo", Map.of("text", "fine")).then().statusCode(200);
    }

    static void rescan() {
        given().post("/plugins/rescan").then().statusCode(200);
    }

    static io.restassured.response.Response call(String plugin, String action) {
        return call(plugin, action, Map.of());
    }

    static io.restassured.response.Response call(String plugin, String action, Map<String, Object> params) {
        return given().contentType(ContentType.JSON).body(params).post("/plugins/" + plugin + "/actions/" + action);
    }

    private List<PluginState> transitionsOf(String id) {
        return events.stream().filter(e -> e.pluginId().equals(id)).map(LifecycleEvent::to).toList();
    }

    private int indexOf(String id, PluginState to) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).pluginId().equals(id) && events.get(i).to() == to) {
                return i;
            }
        }
        throw new AssertionError("no " + to + " event for " + id + " in " + events);
    }
}
