package io.apexagent.host.plugin.process;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.apexagent.host.testing.TestAuth;
import io.apexagent.host.testing.TestPluginDirectory;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Out-of-process plugins end to end: Java in a child JVM and Python round trips (normal, streaming,
 * error), then hostile children — one that crashes mid-call, floods stdout, writes garbage, never answers
 * initialize, stops heartbeating. Each hostile call fails with a clear error, the plugin goes FAILED
 * with the reason, its process is gone, and the other plugins keep serving.
 */
@QuarkusTest
class ProcessPluginsIT {

    static final Path DIR = TestPluginDirectory.path();

    /** Its {@code run} action leaves the host's pipe open but unread, and keeps answering with pongs. */
    static final String DEAF_PLUGIN = """
                    @action("run")
                    def run(self, params):
                        import threading
                        self.unread = os.dup(0)  # the host's pipe stays open, and nobody reads it
                        quiet, self.keep = os.pipe()
                        os.dup2(quiet, 0)  # the SDK's reader waits on a pipe nobody writes
                        def pong():  # never silent: heartbeats alone would not catch it
                            while True:
                                os.write(1, b'{"type":"pong"}\\n')
                                time.sleep(0.2)
                        threading.Thread(target=pong, daemon=True).start()
                        return {"deaf": True}
                """;


    static final String JAVA_PLUGIN = """
            package proc;

            import java.util.Map;
            import io.apexagent.plugin.AbstractPlugin;
            import io.apexagent.plugin.ActionChunk;
            import io.apexagent.plugin.PluginExecutionException;
            import io.apexagent.plugin.StreamingPlugin;
            import io.smallrye.mutiny.Multi;
            import io.smallrye.mutiny.Uni;

            public class Where extends AbstractPlugin implements StreamingPlugin {
                @Override
                public Uni<Object> executeAction(String action, Map<String, Object> params) {
                    if (params.containsKey("fail")) {
                        return Uni.createFrom().failure(new PluginExecutionException("asked to fail: " + params.get("fail")));
                    }
                    return Uni.createFrom().item(Map.of("thread", Thread.currentThread().getName(),
                            "maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024),
                            "dataDir", context().dataDirectory().toString()));
                }

                @Override
                public Multi<ActionChunk> streamAction(String action, Map<String, Object> params) {
                    return Multi.createFrom().range(0, 3).map(i -> ActionChunk.of(Map.of("n", i)));
                }
            }
            """;

    @Test
    void javaPluginRunsInItsOwnJvmWithItsHeapLimit() {
        Path folder = ProcessPluginFolders.java(DIR, "proc-java", "Where", JAVA_PLUGIN, 96);
        rescanAndAwait("proc-java", "ACTIVE");

        ValidatableResponse ok = run("proc-java", Map.of()).statusCode(200);
        assertThat((String) ok.extract().path("result.thread")).isEqualTo("plugin-call"); // a child JVM thread
        assertThat(((Number) ok.extract().path("result.maxHeapMb")).intValue()).isBetween(80, 96);
        assertThat((String) ok.extract().path("result.dataDir")).endsWith("proc-java");
        assertThat(ProcessPluginFolders.children(folder)).isEqualTo(1);

        assertThat(stream("proc-java")).containsExactly(chunk("{\"n\":0}"), chunk("{\"n\":1}"), chunk("{\"n\":2}"));
        run("proc-java", Map.of("fail", "on purpose")).statusCode(500)
                .body("message", containsString("asked to fail: on purpose"));
        // An error is an answer, not a fault: the plugin keeps serving from the same process.
        run("proc-java", Map.of()).statusCode(200);
        assertThat(ProcessPluginFolders.children(folder)).isEqualTo(1);
    }

    @Test
    void pythonReferencePluginAnswersStreamsAndFails() {
        given().contentType(ContentType.JSON).body(Map.of("text", "hello out of\nprocess"))
                .post("/plugins/text-tools/actions/stats")
                .then().statusCode(200)
                .body("result.words", equalTo(4)).body("result.lines", equalTo(2))
                .body("result.upper", equalTo("HELLO OUT OF\nPROCESS"));
        String body = given().contentType(ContentType.JSON).body(Map.of("text", "a bb ccc"))
                .post("/plugins/text-tools/actions/words/stream").then().statusCode(200).extract().asString();
        assertThat(body.lines().filter(l -> l.startsWith("data:")).toList())
                .containsExactly("data:" + chunk("{\"index\":0,\"word\":\"a\"}"),
                        "data:" + chunk("{\"index\":1,\"word\":\"bb\"}"), "data:" + chunk("{\"index\":2,\"word\":\"ccc\"}"));
        awaitState("text-tools", "ACTIVE");
    }

    @Test
    void crashMidCallFailsTheCallThenThePluginRecovers() {
        Path folder = ProcessPluginFolders.python(DIR, "proc-crash", """
                    @action("run")
                    def run(self, params):
                        if params.get("crash"):
                            os._exit(3)
                        if params.get("refuse"):
                            raise ActionError("refused: " + params["refuse"])
                        return {"pid": os.getpid()}
                """);
        rescanAndAwait("proc-crash", "ACTIVE");
        int firstPid = run("proc-crash", Map.of()).statusCode(200).extract().path("result.pid");
        run("proc-crash", Map.of("refuse", "by design")).statusCode(500)
                .body("message", containsString("refused: by design"));
        run("proc-crash", Map.of()).statusCode(200).body("result.pid", equalTo(firstPid)); // an error is no fault

        run("proc-crash", Map.of("crash", true)).statusCode(500)
                .body("message", containsString("exited with code 3"));
        given().get("/plugins/proc-crash").then().body("reason", containsString("exited with code 3"));
        assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        othersKeepServing();

        // Automatic recovery (backoff 3 s in the suite) starts a fresh process.
        awaitState("proc-crash", "ACTIVE");
        run("proc-crash", Map.of()).statusCode(200).body("result.pid", not(equalTo(firstPid)));
        assertThat(ProcessPluginFolders.children(folder)).isEqualTo(1);
    }

    @Test
    void stdoutFloodIsStopped() {
        Path folder = ProcessPluginFolders.python(DIR, "proc-flood", """
                    @action("run")
                    def run(self, params):
                        os.write(1, b"x" * 3_000_000)
                        return {}
                """);
        rescanAndAwait("proc-flood", "ACTIVE");
        run("proc-flood", Map.of()).statusCode(500)
                .body("message", containsString("wrote a line longer than 1048576 bytes on stdout"));
        assertFailedAndGone("proc-flood", folder, "longer than 1048576 bytes");
    }

    @Test
    void garbageOnStdoutIsStopped() {
        Path folder = ProcessPluginFolders.python(DIR, "proc-garbage", """
                    @action("run")
                    def run(self, params):
                        os.write(1, b"hello from a stray print\\n")
                        time.sleep(30)
                """);
        rescanAndAwait("proc-garbage", "ACTIVE");
        run("proc-garbage", Map.of()).statusCode(500)
                .body("message", containsString("not a protocol message"))
                .body("message", containsString("hello from a stray print"));
        assertFailedAndGone("proc-garbage", folder, "not a protocol message");
    }

    @Test
    void initializeThatNeverAnswersFailsThePlugin() {
        Path folder = ProcessPluginFolders.python(DIR, "proc-mute", """
                    def initialize(self, context):
                        time.sleep(3600)

                    @action("run")
                    def run(self, params):
                        return {}
                """);
        given().post("/plugins/rescan").then().statusCode(200);
        // Between recovery attempts the reason is the last failure's.
        await().atMost(Duration.ofSeconds(30)).until(() -> String.valueOf((Object) given().get("/plugins/proc-mute")
                .then().extract().path("reason")).contains("did not answer initialize within 4000 ms"));
        awaitState("proc-mute", "FAILED");
        run("proc-mute", Map.of()).statusCode(503);
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessPluginFolders.children(folder) <= 1);
        othersKeepServing();
    }

    @Test
    void childThatStopsHeartbeatingIsKilled() {
        Path folder = ProcessPluginFolders.python(DIR, "proc-frozen", """
                    @action("run")
                    def run(self, params):
                        os.kill(os.getpid(), signal.SIGSTOP)  # the whole process freezes, pings included
                        time.sleep(60)
                """);
        rescanAndAwait("proc-frozen", "ACTIVE");
        long start = System.nanoTime();
        run("proc-frozen", Map.of()).statusCode(500).body("message", containsString("stopped answering heartbeats"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertFailedAndGone("proc-frozen", folder, "stopped answering heartbeats");
    }

    @Test
    void childThatStopsReadingItsStdinIsKilledWithoutHoldingUpTheHost() throws Exception {
        Path folder = ProcessPluginFolders.python(DIR, "proc-deaf", DEAF_PLUGIN);
        rescanAndAwait("proc-deaf", "ACTIVE");
        run("proc-deaf", Map.of()).statusCode(200).body("result.deaf", equalTo(true));
        Thread.sleep(1000); // pings drain what the reader had in flight; from now on nothing is read

        // Far more than a pipe holds: the write waits for a reader that never comes, until the host kills it.
        HttpResponse<String> big = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/plugins/proc-deaf/actions/run"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", TestAuth.basicHeader(TestAuth.DEFAULT_USER))
                .POST(HttpRequest.BodyPublishers.ofString("{\"blob\":\"" + "x".repeat(2_000_000) + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(big.statusCode()).isEqualTo(500);
        assertThat(big.body()).contains("stopped reading its stdin");
        assertFailedAndGone("proc-deaf", folder, "stopped reading its stdin");
    }

    @Test
    void pythonChildRunsUnderItsMemoryLimitAndWithoutNetworkUnlessGranted() {
        String probe = """
                    @action("run")
                    def run(self, params):
                        import socket
                        out = {}
                        try:
                            socket.create_connection(("127.0.0.1", params["port"]), timeout=2).close()
                            out["network"] = "reachable"
                        except OSError as e:
                            out["network"] = type(e).__name__
                        try:
                            block = bytearray(512 * 1024 * 1024)
                            out["memory"] = "allocated %d MB" % (len(block) // (1024 * 1024))
                        except MemoryError:
                            out["memory"] = "MemoryError"
                        return out
                """;
        ProcessPluginFolders.python(DIR, "proc-confined", probe, ", \"limits\": { \"memory_mb\": 128 }");
        ProcessPluginFolders.python(DIR, "proc-networked", probe,
                ", \"permissions\": [\"network_access\"], \"limits\": { \"memory_mb\": 1024 }");
        rescanAndAwait("proc-confined", "ACTIVE");
        awaitState("proc-networked", "ACTIVE");
        int port = io.restassured.RestAssured.port;

        run("proc-confined", Map.of("port", port)).statusCode(200)
                .body("result.network", not(equalTo("reachable")))
                .body("result.memory", equalTo("MemoryError"));
        run("proc-networked", Map.of("port", port)).statusCode(200)
                .body("result.network", equalTo("reachable"))
                .body("result.memory", equalTo("allocated 512 MB"));
    }

    private static void assertFailedAndGone(String id, Path folder, String reason) {
        given().get("/plugins/" + id).then().body("reason", containsString(reason));
        // Recovery may already run a fresh child; the faulty one is gone and never more than one runs.
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessPluginFolders.children(folder) <= 1);
        othersKeepServing();
    }

    private static void othersKeepServing() {
        given().contentType(ContentType.JSON).body(Map.of("text", "still here"))
                .post("/plugins/echo/actions/echo").then().statusCode(200).body("result.length", equalTo(10));
        given().contentType(ContentType.JSON).body(Map.of("text", "still here"))
                .post("/plugins/text-tools/actions/stats").then().statusCode(200).body("result.words", equalTo(2));
    }

    private static String chunk(String data) {
        return "{\"data\":" + data + ",\"attributes\":{}}";
    }

    private static ValidatableResponse run(String id, Map<String, Object> params) {
        return given().contentType(ContentType.JSON).body(params).post("/plugins/" + id + "/actions/run").then();
    }

    private static List<String> stream(String id) {
        String body = given().contentType(ContentType.JSON).body(Map.of())
                .post("/plugins/" + id + "/actions/stream/stream").then().statusCode(200).extract().asString();
        return body.lines().filter(l -> l.startsWith("data:")).map(l -> l.substring(5)).toList();
    }

    private static void rescanAndAwait(String id, String state) {
        given().post("/plugins/rescan").then().statusCode(200);
        awaitState(id, state);
    }

    private static void awaitState(String id, String state) {
        await(id + " " + state).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> state.equals(given().get("/plugins/" + id).then().extract().path("state")));
    }
}
