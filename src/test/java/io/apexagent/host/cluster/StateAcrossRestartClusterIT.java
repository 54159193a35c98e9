package io.apexagent.host.cluster;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.apexagent.host.testing.HostProcess;

/**
 * A stateful plugin's state outlives a graceful stop of the whole host (SIGTERM, as in a rolling update):
 * the snapshot taken while the host shuts down is encrypted with Vault and stored before the process ends.
 */
class StateAcrossRestartClusterIT {

    @Test
    void notesWrittenBeforeASigtermAreThereAfterTheRestart() throws Exception {
        String text = "kept across a restart " + UUID.randomUUID();
        try (HostProcess first = HostProcess.start("node-state-1", Map.of())) {
            given().baseUri(first.baseUrl()).contentType("application/json").body("{\"text\":\"" + text + "\"}")
                    .post("/plugins/notes/actions/add").then().statusCode(200);
        }
        try (HostProcess second = HostProcess.start("node-state-2", Map.of())) {
            given().baseUri(second.baseUrl()).contentType("application/json").body("{}")
                    .post("/plugins/notes/actions/list").then().statusCode(200)
                    .body("result.notes.text", hasItem(text));
        }
    }
}
