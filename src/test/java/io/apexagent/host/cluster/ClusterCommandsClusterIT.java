package io.apexagent.host.cluster;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.apexagent.host.testing.HostProcess;
import io.apexagent.host.testing.TestInfrastructure;

/** An admin call on one replica reaches every replica, including one that starts afterwards. */
class ClusterCommandsClusterIT {

    final List<HostProcess> hosts = new ArrayList<>();

    @AfterEach
    void stopHosts() throws InterruptedException {
        for (HostProcess h : hosts) {
            h.close();
        }
    }

    @Test
    void pauseOnOneReplicaPausesAllAndALateReplicaConverges() throws Exception {
        HostProcess a = start("node-f");
        HostProcess b = start("node-g");

        given().baseUri(a.baseUrl()).post("/plugins/greeter/pause").then().statusCode(200)
                .body("state", equalTo("PAUSED"));
        awaitState(b, "greeter", "PAUSED");

        HostProcess late = start("node-h");
        awaitState(late, "greeter", "PAUSED");
        awaitState(late, "echo", "ACTIVE");

        given().baseUri(b.baseUrl()).post("/plugins/greeter/resume").then().statusCode(200);
        for (HostProcess h : hosts) {
            awaitState(h, "greeter", "ACTIVE");
        }

        given().baseUri(late.baseUrl()).post("/plugins/greeter/stop").then().statusCode(200)
                .body("state", equalTo("STOPPED"));
        awaitState(a, "greeter", "STOPPED");
        awaitState(b, "greeter", "STOPPED");
        given().baseUri(a.baseUrl()).get("/plugins/greeter").then()
                .body("reason", equalTo("stop requested over REST (cluster command from node-h)"));
        // Leave the cluster as the other tests expect it.
        given().baseUri(a.baseUrl()).post("/plugins/greeter/start").then().statusCode(200);
    }

    @Test
    void pluginEventReachesSubscribersOnEveryReplicaExactlyOnce() throws Exception {
        HostProcess a = start("node-i");
        HostProcess b = start("node-j");
        int seenOnA = seen(a);
        int seenOnB = seen(b);
        given().baseUri(a.baseUrl()).contentType("application/json").body("{\"text\":\"across replicas\"}")
                .post("/plugins/notes/actions/add").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> seen(b) == seenOnB + 1 && seen(a) == seenOnA + 1);
        // No second delivery of the same event on either replica.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> seen(b) == seenOnB + 1 && seen(a) == seenOnA + 1);
        given().baseUri(b.baseUrl()).contentType("application/json").body("{}")
                .post("/plugins/audit-listener/actions/stats").then().body("result.last.text", equalTo("across replicas"));
    }

    /**
     * A command the broker never carried (it is down) still reaches the other replica, from the stored desired state.
     * Before, that replica stayed as it was until its next restart if the broker gave the command up.
     */
    @Test
    void aCommandTheBrokerDoesNotCarryReachesTheOtherReplicaFromTheStoredDesiredState() throws Exception {
        Map<String, String> quickConvergence = Map.of("JAVA_TOOL_OPTIONS", "-Dapex.cluster.converge-interval=2s");
        HostProcess a = start("node-k", quickConvergence);
        HostProcess b = start("node-l", quickConvergence);
        TestInfrastructure infra = TestInfrastructure.get();
        infra.stopKafka();
        try {
            given().baseUri(a.baseUrl()).post("/plugins/greeter/pause").then().statusCode(200)
                    .body("state", equalTo("PAUSED"));
            awaitState(b, "greeter", "PAUSED");
            given().baseUri(b.baseUrl()).get("/plugins/greeter").then()
                    .body("reason", equalTo("desired state of the cluster"));
        } finally {
            infra.startKafka();
        }
        // Leave the cluster as the other tests expect it.
        given().baseUri(a.baseUrl()).post("/plugins/greeter/resume").then().statusCode(200);
        awaitState(b, "greeter", "ACTIVE");
    }

    private static int seen(HostProcess host) {
        return given().baseUri(host.baseUrl()).contentType("application/json").body("{}")
                .post("/plugins/audit-listener/actions/stats").then().statusCode(200).extract().path("result.seen");
    }

    private HostProcess start(String node) throws Exception {
        return start(node, Map.of());
    }

    private HostProcess start(String node, Map<String, String> environment) throws Exception {
        HostProcess h = HostProcess.start(node, environment);
        hosts.add(h);
        return h;
    }

    private static void awaitState(HostProcess host, String plugin, String state) {
        await(host.nodeId() + " " + plugin + " " + state).atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().baseUri(host.baseUrl()).get("/plugins/" + plugin).then()
                        .statusCode(200).body("state", equalTo(state)));
    }
}
