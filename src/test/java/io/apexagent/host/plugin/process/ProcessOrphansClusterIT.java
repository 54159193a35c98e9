package io.apexagent.host.plugin.process;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.apexagent.host.testing.HostProcess;

/**
 * From the packaged jar (where {@code java.class.path} is only {@code quarkus-run.jar}): a Java plugin runs in
 * a child JVM and the reference Python plugin in a Python child; after the host is killed with SIGKILL —
 * no shutdown hook runs — the children exit on their own, a child that stopped reading its stdin included.
 * Stopped with SIGTERM, the host lets its children run their own shutdown first.
 */
class ProcessOrphansClusterIT {

    @Test
    void childrenServeFromThePackagedHostAndExitWhenItIsKilled() throws Exception {
        Path dir = Path.of("target/cluster/process-plugins").toAbsolutePath();
        Files.createDirectories(dir);
        Path javaPlugin = ProcessPluginFolders.java(dir, "orphan-java", "Where", ProcessPluginsIT.JAVA_PLUGIN, 64);
        Path pythonPlugin = Path.of("plugins/text-tools").toAbsolutePath();
        Path deafPlugin = ProcessPluginFolders.python(dir, "orphan-deaf", ProcessPluginsIT.DEAF_PLUGIN);
        HostProcess host = HostProcess.start("node-proc",
                Map.of("APEX_PLUGINS_DIRS", Path.of("plugins").toAbsolutePath() + "," + dir));
        try {
            awaitActive(host, "orphan-java");
            awaitActive(host, "text-tools");
            awaitActive(host, "orphan-deaf");
            // stops reading its stdin: it would never see the end of input when the host dies
            given().baseUri(host.baseUrl()).contentType("application/json").body("{}")
                    .post("/plugins/orphan-deaf/actions/run").then().statusCode(200).body("result.deaf", equalTo(true));
            Thread.sleep(2500); // a ping (every 1 s) ends the read in flight; from then on nothing is read
            given().baseUri(host.baseUrl()).contentType("application/json").body("{}")
                    .post("/plugins/orphan-java/actions/run").then().statusCode(200)
                    .body("result.thread", equalTo("plugin-call"));
            given().baseUri(host.baseUrl()).contentType("application/json").body(Map.of("text", "two words"))
                    .post("/plugins/text-tools/actions/stats").then().statusCode(200).body("result.words", equalTo(2));

            List<ProcessHandle> children = ProcessHandle.allProcesses()
                    .filter(p -> p.parent().map(parent -> parent.pid() == host.pid()).orElse(false))
                    .filter(p -> {
                        String line = p.info().commandLine().orElse("");
                        return line.contains(javaPlugin.toString()) || line.contains(pythonPlugin.toString())
                                || line.contains(deafPlugin.toString());
                    })
                    .toList();
            assertThat(children).as("a child JVM and two Python children of host %d", host.pid()).hasSize(3);

            host.kill();
            await("children of the killed host exit").atMost(Duration.ofSeconds(15))
                    .until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
        } finally {
            host.close();
        }
    }

    @Test
    void aSigtermGivesChildrenTheirOrderlyShutdown() throws Exception {
        Path dir = Path.of("target/cluster/process-goodbye").toAbsolutePath();
        Files.createDirectories(dir);
        Path marker = dir.resolve("goodbye.txt");
        Files.deleteIfExists(marker);
        ProcessPluginFolders.python(dir, "proc-goodbye", """
                    @action("run")
                    def run(self, params):
                        return {"ok": True}

                    def shutdown(self):
                        with open("%s", "w") as f:
                            f.write("stopped in order")
                """.formatted(marker));
        HostProcess host = HostProcess.start("node-proc-goodbye",
                Map.of("APEX_PLUGINS_DIRS", Path.of("plugins").toAbsolutePath() + "," + dir));
        try {
            awaitActive(host, "proc-goodbye");
        } finally {
            host.close(); // SIGTERM: the host stops its plugins before it exits
        }
        assertThat(marker).as("written by the plugin's shutdown()").hasContent("stopped in order");
    }

    private static void awaitActive(HostProcess host, String plugin) {
        await(host.nodeId() + " " + plugin + " ACTIVE").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().baseUri(host.baseUrl()).get("/plugins/" + plugin).then()
                        .statusCode(200).body("state", equalTo("ACTIVE")));
    }
}
