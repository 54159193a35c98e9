package io.apexagent.host.plugin.process;

import static io.apexagent.host.plugin.process.ContextTestPlugins.JAVA_FETCHER;
import static io.apexagent.host.plugin.process.ContextTestPlugins.JAVA_FILES;
import static io.apexagent.host.plugin.process.ContextTestPlugins.JAVA_HOG;
import static io.apexagent.host.plugin.process.ContextTestPlugins.JAVA_STATEFUL;
import static io.apexagent.host.plugin.process.ContextTestPlugins.JAVA_SUBSCRIBER;
import static io.apexagent.host.plugin.process.ContextTestPlugins.PY_FETCHER;
import static io.apexagent.host.plugin.process.ContextTestPlugins.PY_NARROWED;
import static io.apexagent.host.plugin.process.ContextTestPlugins.PY_REFUSED;
import static io.apexagent.host.plugin.process.ContextTestPlugins.PY_SUBSCRIBER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.apexagent.host.messaging.events.EventForwarder;
import io.apexagent.host.state.StateCipher;
import io.apexagent.host.testing.CapturedLogs;
import io.apexagent.host.testing.TestHttpServer;
import io.apexagent.host.testing.TestInfrastructure;
import io.apexagent.host.testing.TestPluginDirectory;
import io.apexagent.host.testing.TopicScan;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * The {@code PluginContext} of out-of-process plugins end to end, Python and Java children alike: events
 * they subscribed to arrive exactly once, state round-trips through PostgreSQL (encrypted) and reaches the
 * next process after a reload, credentials are read from Vault only with credential_access (a refusal is a
 * security event), files stay inside the data directory, declared dependencies are called. Also a child JVM
 * that runs out of heap: the call fails, the plugin goes FAILED, recovery starts a fresh JVM.
 */
@QuarkusTest
class ProcessPluginContextIT {

    static final Path DIR = TestPluginDirectory.path();
    static final Path DATA = Path.of("target/plugin-data").toAbsolutePath();

    @Inject
    StateCipher cipher;

    @Test
    void pythonAndJavaChildrenGetSubscribedEventsExactlyOnce() {
        ProcessPluginFolders.python(DIR, "ctx-pub", """
                    @action("run")
                    def run(self, params):
                        self.context.publish("ctx.note", {"marker": params["marker"]})
                        return {}
                """, permissions("event_publish"));
        ProcessPluginFolders.python(DIR, "ctx-py-sub", PY_SUBSCRIBER, permissions("event_subscribe"));
        ProcessPluginFolders.java(DIR, "ctx-java-sub", "Listener", JAVA_SUBSCRIBER, 96, permissions("event_subscribe"));
        rescan();
        List.of("ctx-pub", "ctx-py-sub", "ctx-java-sub").forEach(id -> awaitState(id, "ACTIVE"));

        String marker = "note-" + UUID.randomUUID();
        run("ctx-pub", Map.of("marker", marker)).statusCode(200);

        for (String subscriber : List.of("ctx-py-sub", "ctx-java-sub")) {
            await(subscriber + " receives the event").atMost(Duration.ofSeconds(20))
                    .until(() -> received(subscriber).contains(marker));
        }
        for (String subscriber : List.of("ctx-py-sub", "ctx-java-sub")) {
            await(subscriber + " receives it only once").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> Collections.frequency(received(subscriber), marker) == 1);
        }
    }

    @Test
    void pythonStateRoundTripsThroughPostgresAndReachesTheNextProcess() throws Exception {
        ProcessPluginFolders.python(DIR, "ctx-state", """
                    @action("run")
                    def run(self, params):
                        if params.get("put") is not None:
                            self.context.state_put("greeting", params["put"])
                        if params.get("delete"):
                            self.context.state_delete("greeting")
                        return {"greeting": self.context.state_get("greeting"), "keys": self.context.state_keys(),
                                "pid": os.getpid()}
                """, permissions("state_access"));
        rescanAndAwait("ctx-state");
        String greeting = "hello-" + UUID.randomUUID();

        int firstPid = run("ctx-state", Map.of("put", greeting)).statusCode(200)
                .body("result.greeting", equalTo(greeting)).body("result.keys", equalTo(List.of("greeting")))
                .extract().path("result.pid");
        String stored = storedJson("ctx-state");
        assertThat(stored).isEqualTo("{\"greeting\":\"" + greeting + "\"}");

        reload("ctx-state");
        run("ctx-state", Map.of()).statusCode(200)
                .body("result.greeting", equalTo(greeting))
                .body("result.pid", not(equalTo(firstPid)));

        run("ctx-state", Map.of("delete", true)).statusCode(200).body("result.greeting", nullValue());
        assertThat(storedJson("ctx-state")).isEqualTo("{}");
    }

    @Test
    void javaStatefulChildSavesAndIsRestoredInItsNextJvm() throws Exception {
        ProcessPluginFolders.java(DIR, "ctx-java-state", "Notebook", JAVA_STATEFUL, 96, permissions("state_access"));
        rescanAndAwait("ctx-java-state");
        String note = "note-" + UUID.randomUUID();

        run("ctx-java-state", Map.of("note", note)).statusCode(200).body("result.note", equalTo(note));
        assertThat(storedJson("ctx-java-state")).isEqualTo("{\"note\":\"" + note + "\"}");

        reload("ctx-java-state");
        run("ctx-java-state", Map.of()).statusCode(200).body("result.note", equalTo(note));
    }

    @Test
    void ownCredentialIsReadAndNeverLogged() throws Exception {
        String secret = "planted-child-" + UUID.randomUUID();
        try (CapturedLogs logs = CapturedLogs.start()) {
            ProcessPluginFolders.python(DIR, "ctx-cred", """
                        @action("run")
                        def run(self, params):
                            import hashlib
                            value = self.context.credential(params["name"])
                            return {"sha256": None if value is None else hashlib.sha256(value.encode()).hexdigest()}
                    """, permissions("credential_access"));
            rescanAndAwait("ctx-cred");
            given().contentType(ContentType.JSON).body(Map.of("value", secret))
                    .put("/plugins/ctx-cred/credentials/api-key").then().statusCode(200);

            run("ctx-cred", Map.of("name", "api-key")).statusCode(200).body("result.sha256", equalTo(sha256(secret)));
            run("ctx-cred", Map.of("name", "absent")).statusCode(200).body("result.sha256", nullValue());
            assertThat(logs.lines()).as("captured log records").noneMatch(line -> line.contains(secret));
        }
    }

    @Test
    void contextCallsWithoutTheirPermissionAreRefusedAndReported() {
        ProcessPluginFolders.python(DIR, "ctx-refused", PY_REFUSED);
        rescanAndAwait("ctx-refused");

        run("ctx-refused", Map.of("what", "credential")).statusCode(200)
                .body("result.outcome", equalTo("PluginSecurityError"))
                .body("result.message", containsString("may not read credential api-key: permission credential_access "
                        + "is not granted"));
        run("ctx-refused", Map.of("what", "subscribe")).statusCode(200)
                .body("result.outcome", equalTo("PluginSecurityError"))
                .body("result.message", containsString("may not subscribe to event ctx.note: "
                        + "permission event_subscribe"));
        run("ctx-refused", Map.of("what", "state")).statusCode(200)
                .body("result.outcome", equalTo("PluginSecurityError"))
                .body("result.message", containsString("permission state_access is not granted"));
        given().get("/plugins/ctx-refused").then().body("state", equalTo("ACTIVE"));
        await("a security event for the refused credential").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(TopicScan.scan("plugin ctx-refused may not read credential api-key").hits())
                        .anySatisfy(hit -> assertThat(hit).startsWith("apex.plugin.errors/")
                                .contains("\"type\":\"" + EventForwarder.SECURITY_TYPE + "\"")
                                .contains("\"pluginId\":\"ctx-refused\"")));
    }

    @Test
    void filesStayInsideTheDataDirectory() throws Exception {
        ProcessPluginFolders.python(DIR, "ctx-files", """
                    @action("run")
                    def run(self, params):
                        from apexagent_plugin import PluginSecurityError
                        self.context.write_file("notes/a.txt", params["text"])
                        try:
                            self.context.write_file("../escaped.txt", "x")
                            outside = "written"
                        except PluginSecurityError as e:
                            outside = str(e)
                        try:
                            self.context.read_file("notes/missing.txt")
                            missing = "found"
                        except FileNotFoundError:
                            missing = "FileNotFoundError"
                        from apexagent_plugin import ServiceError
                        try:
                            self.context.read_file("huge/sparse.bin")
                            huge = "read"
                        except ServiceError as e:
                            huge = e.error_type + ": " + str(e)
                        from apexagent_plugin import FileTooLargeError
                        try:
                            self.context.read_file("notes/a.txt", max_bytes=4)
                            bounded = "read"
                        except FileTooLargeError as e:
                            bounded = "%s %d > %d: %s" % (type(e).__name__, e.size, e.limit, e)
                        return {"read": self.context.read_file("notes/a.txt").decode(), "outside": outside,
                                "list": self.context.list_files("notes"), "missing": missing, "huge": huge,
                                "bounded": bounded,
                                "exact": self.context.read_file("notes/a.txt", max_bytes=17).decode()}
                """, permissions("file_system_read", "file_system_write"));
        // 3 GiB, sparse: read whole by the host (as it was), it filled the host's heap.
        Files.createDirectories(DATA.resolve("ctx-files/huge"));
        try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(
                DATA.resolve("ctx-files/huge/sparse.bin").toFile(), "rw")) {
            sparse.setLength(3L << 30);
        }
        ProcessPluginFolders.java(DIR, "ctx-java-files", "Filer", JAVA_FILES, 96,
                permissions("file_system_read", "file_system_write"));
        rescan();
        awaitState("ctx-files", "ACTIVE");
        awaitState("ctx-java-files", "ACTIVE");

        run("ctx-files", Map.of("text", "written by python")).statusCode(200)
                .body("result.read", equalTo("written by python"))
                .body("result.list", equalTo(List.of("a.txt")))
                .body("result.missing", equalTo("FileNotFoundError"))
                .body("result.huge", startsWith("too_large: file 'huge/sparse.bin' is 3221225472 bytes, more than the"))
                // The child's own bound: refused from the file's size, with size and limit as numbers.
                .body("result.bounded", startsWith("FileTooLargeError 17 > 4: file 'notes/a.txt' is 17 bytes, more than"))
                .body("result.exact", equalTo("written by python"))
                .body("result.outside", containsString("path '../escaped.txt' is outside the plugin's data directory"));
        assertThat(DATA.resolve("ctx-files/notes/a.txt")).hasContent("written by python");
        assertThat(DATA.resolve("escaped.txt")).doesNotExist();

        run("ctx-java-files", Map.of()).statusCode(200)
                .body("result.read", equalTo("hi from the jvm"))
                // A bounded read in a child JVM: the same exception as in-process, the file refused unread.
                .body("result.bounded", equalTo("PluginFileTooLargeException: file 'j/hello.txt' is 15 bytes, more "
                        + "than the 5 bytes that may be read at once"))
                .body("result.fits", equalTo("hi from the jvm"))
                .body("result.outside", containsString("PluginSecurityException: path '../j-escaped.txt' is outside"))
                .body("result.credential", containsString("PluginSecurityException: plugin ctx-java-files may not read "
                        + "credential api-key: permission credential_access is not granted"))
                .body("result.subscribe", containsString("PluginSecurityException: plugin ctx-java-files may not "
                        + "subscribe to event ctx.note: permission event_subscribe is not granted"));
        assertThat(Files.readString(DATA.resolve("ctx-java-files/j/hello.txt"))).isEqualTo("hi from the jvm");
        assertThat(DATA.resolve("j-escaped.txt")).doesNotExist();
    }

    @Test
    void httpGoesThroughTheHostsChecks() {
        try (TestHttpServer server = TestHttpServer.start()) {
            ProcessPluginFolders.python(DIR, "ctx-http", PY_FETCHER, permissions("network_access"));
            ProcessPluginFolders.python(DIR, "ctx-http-denied", PY_FETCHER);
            ProcessPluginFolders.java(DIR, "ctx-java-http", "Fetcher", JAVA_FETCHER, 96, permissions("network_access"));
            ProcessPluginFolders.java(DIR, "ctx-java-http-denied", "Fetcher", JAVA_FETCHER, 96);
            rescan();
            List.of("ctx-http", "ctx-http-denied", "ctx-java-http", "ctx-java-http-denied")
                    .forEach(id -> awaitState(id, "ACTIVE"));

            run("ctx-http", Map.of("url", server.url() + "/echo", "text", "from python")).statusCode(200)
                    .body("result.status", equalTo(200))
                    .body("result.body", equalTo("from python"))
                    .body("result.uri", equalTo(server.url() + "/echo"))
                    .body("result.seen", equalTo(List.of("Bearer t")));
            run("ctx-java-http", Map.of("url", server.url() + "/echo")).statusCode(200)
                    .body("result.status", equalTo(200))
                    .body("result.body", equalTo("from the jvm"));
            assertThat(server.requests()).containsExactly("POST /echo", "POST /echo");

            run("ctx-http-denied", Map.of("url", server.url() + "/echo", "text", "x")).statusCode(200)
                    .body("result.refused", containsString("permission network_access is not granted"));
            run("ctx-java-http-denied", Map.of("url", server.url() + "/echo")).statusCode(200)
                    .body("result.refused", containsString("permission network_access is not granted"));
            assertThat(server.requests()).as("nothing sent for the refused plugins").hasSize(2);
        }
    }

    @Test
    void childLimitedToSomeHostsHasOnlyTheHostsHttp() {
        try (TestHttpServer server = TestHttpServer.start()) {
            // the suite's operator policy allows ctx-http-narrow only 127.0.0.1
            ProcessPluginFolders.python(DIR, "ctx-http-narrow", PY_NARROWED, permissions("network_access"));
            rescanAndAwait("ctx-http-narrow");
            given().get("/plugins/ctx-http-narrow").then().body("policy.allowedHosts", equalTo(List.of("127.0.0.1")));

            run("ctx-http-narrow", Map.of("url", server.url() + "/hello", "port", server.port())).statusCode(200)
                    .body("result.status", equalTo(200))
                    .body("result.body", equalTo("hello from the test server"))
                    .body("result.other", containsString("may not connect to host localhost:" + server.port()))
                    .body("result.direct", not(equalTo("connected")));
            assertThat(server.requests()).containsExactly("GET /hello");
        }
    }

    @Test
    void declaredDependencyIsInvokedOthersAreNot() {
        ProcessPluginFolders.python(DIR, "ctx-caller", """
                    @action("run")
                    def run(self, params):
                        from apexagent_plugin import ServiceError
                        echoed = self.context.invoke("echo", "echo", {"text": params["text"]})
                        try:
                            self.context.invoke("text-tools", "stats", {"text": "x"})
                            undeclared = "called"
                        except ServiceError as e:
                            undeclared = str(e)
                        return {"echoed": echoed, "undeclared": undeclared}
                """, permissions("plugin_invoke") + ", \"dependencies\": { \"plugins\": { \"echo\": \"^1.0.0\" } }");
        rescanAndAwait("ctx-caller");

        run("ctx-caller", Map.of("text", "across")).statusCode(200)
                .body("result.echoed.length", equalTo(6))
                .body("result.undeclared", containsString("it is not declared in manifest.json dependencies.plugins"));
    }

    @Test
    void childJvmOutOfHeapFailsTheCallThenThePluginRecovers() {
        Path folder = ProcessPluginFolders.java(DIR, "ctx-java-hog", "Hog", JAVA_HOG, 64);
        rescanAndAwait("ctx-java-hog");
        String first = run("ctx-java-hog", Map.of()).statusCode(200).extract().path("result.instance");

        run("ctx-java-hog", Map.of("exhaust", true)).statusCode(500)
                .body("message", containsString("exited with code 3"));
        given().get("/plugins/ctx-java-hog").then().body("reason", containsString("exited with code 3"));

        awaitState("ctx-java-hog", "ACTIVE"); // recovery (backoff 3 s in the suite) starts a fresh JVM
        run("ctx-java-hog", Map.of()).statusCode(200).body("result.instance", not(equalTo(first)));
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessPluginFolders.children(folder) == 1);
    }

    /** A reload starts a new process; the old one's state goes through the database to it. */
    private static void reload(String id) {
        given().post("/plugins/" + id + "/reload").then().statusCode(200);
        awaitState(id, "ACTIVE");
    }

    private String storedJson(String pluginId) throws Exception {
        try (Connection c = TestInfrastructure.get().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT data FROM plugin_state WHERE plugin_id = ?")) {
            s.setString(1, pluginId);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("a plugin_state row for " + pluginId).isTrue();
                String data = rs.getString(1);
                assertThat(data).startsWith("vault:v");
                return cipher.decrypt(pluginId, data).await().indefinitely();
            }
        }
    }

    private static List<String> received(String id) {
        return run(id, Map.of()).statusCode(200).extract().path("result.received");
    }

    private static String permissions(String... names) {
        return ", \"permissions\": [" + String.join(", ", List.of(names).stream().map(n -> "\"" + n + "\"").toList())
                + "]";
    }

    private static String sha256(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }

    private static ValidatableResponse run(String id, Map<String, Object> params) {
        return given().contentType(ContentType.JSON).body(params).post("/plugins/" + id + "/actions/run").then();
    }

    private static void rescan() {
        given().post("/plugins/rescan").then().statusCode(200);
    }

    private static void rescanAndAwait(String id) {
        rescan();
        awaitState(id, "ACTIVE");
    }

    private static void awaitState(String id, String state) {
        await(id + " " + state).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> state.equals(given().get("/plugins/" + id).then().extract().path("state")));
    }
}
