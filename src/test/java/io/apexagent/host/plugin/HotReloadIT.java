package io.apexagent.host.plugin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.apexagent.host.testing.TestAuth;
import io.apexagent.host.testing.TestPluginDirectory;
import io.apexagent.host.testing.TestPlugins;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Reloading to a new version under load: zero failed calls, and calls after the swap see the new version. */
@QuarkusTest
class HotReloadIT {

    static final Path DIR = TestPluginDirectory.path();
    static final int CALLS = 200;
    static final int CALLERS = 20;

    @TestHTTPResource("/plugins/hr-versioned/actions/which")
    URL actionUrl;

    @Test
    void twoHundredConcurrentCallsDuringReloadAllSucceed() throws Exception {
        writeVersion("1.0.0");
        PluginLifecycleIT.rescan();
        given().get("/plugins/hr-versioned").then().body("state", equalTo("ACTIVE")).body("version", equalTo("1.0.0"));

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        List<HttpResponse<String>> responses = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicBoolean reloaded = new AtomicBoolean();
        // Each caller keeps calling until the reload is over and it made some calls after it, so the calls
        // surely span the swap; the whole run is bounded in time.
        List<CompletableFuture<Void>> loops = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        for (int c = 0; c < CALLERS; c++) {
            loops.add(CompletableFuture.runAsync(() -> {
                int afterReload = 0;
                // keep calling until the reload is over for this caller and the run has its CALLS
                while ((afterReload < 5 || responses.size() < CALLS) && System.nanoTime() < deadline) {
                    boolean reloadWasOver = reloaded.get();
                    try {
                        responses.add(http.send(HttpRequest.newBuilder(actionUrl.toURI())
                                .header("content-type", "application/json")
                                .header("authorization", TestAuth.basicHeader("operator"))
                                .POST(HttpRequest.BodyPublishers.ofString("{\"sleep_ms\": 5}")).build(),
                                HttpResponse.BodyHandlers.ofString()));
                    } catch (Exception e) {
                        errors.add(e);
                    }
                    if (reloadWasOver) {
                        afterReload++;
                    }
                }
            }, callers));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> responses.size() >= CALLS / 4);
        writeVersion("2.0.0");
        given().post("/plugins/hr-versioned/reload").then().statusCode(200).body("version", equalTo("2.0.0"));
        reloaded.set(true);
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        callers.shutdown();

        assertThat(errors).isEmpty();
        assertThat(responses).hasSizeGreaterThanOrEqualTo(CALLS);
        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
        assertThat(responses).anySatisfy(r -> assertThat(r.body()).contains("\"version\":\"1.0.0\""));
        assertThat(responses).anySatisfy(r -> assertThat(r.body()).contains("\"version\":\"2.0.0\""));

        for (int i = 0; i < 10; i++) {
            PluginLifecycleIT.call("hr-versioned", "which").then().statusCode(200)
                    .body("result.version", equalTo("2.0.0")).body("pluginVersion", equalTo("2.0.0"));
        }
        given().get("/plugins/hr-versioned").then().body("state", equalTo("ACTIVE")).body("inFlight", equalTo(0));
    }

    private static void writeVersion(String version) {
        TestPlugins.plugin("hr-versioned").version(version).action("which")
                .manifestField("limits", Map.of("max_concurrency", 32))
                .javaSource("hr.v" + version.charAt(0) + ".VersionedPlugin",
                        PluginSources.versioned("hr.v" + version.charAt(0), version))
                .writeTo(DIR);
    }

}
