package io.apexagent.host.state;

import static io.apexagent.host.state.StateFixtures.call;
import static io.apexagent.host.state.StateFixtures.rawRow;
import static io.apexagent.host.state.StateFixtures.rescan;
import static io.apexagent.host.state.StateFixtures.writeKvPlugin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.apexagent.host.testing.VaultAdmin;
import io.quarkus.test.junit.QuarkusTest;

/** Rotating the Transit key keeps old state readable; new writes use the new key version. */
@QuarkusTest
class StateKeyRotationIT {

    @Inject
    StateStore store;

    @Test
    void stateWrittenBeforeARotationIsReadAfterItAndRewrittenWithTheNewKey() throws Exception {
        writeKvPlugin("st-rotate", "1.0.0", 1);
        rescan();
        call("st-rotate", "put", Map.of("kept", "across rotation")).then().statusCode(200);
        call("st-rotate", "save", Map.of()).then().statusCode(200);
        VaultAdmin vault = VaultAdmin.ofSuite();
        int before = vault.latestVersion("apex-plugin-state");
        assertThat((String) rawRow("st-rotate").get("data")).startsWith("vault:v" + before + ":");

        vault.rotate("apex-plugin-state"); // operator task: with the root token, never the host's

        StoredState old = store.read("st-rotate").await().indefinitely();
        assertThat(old.json()).isEqualTo("{\"values\":{\"kept\":\"across rotation\"}}");
        given().get("/plugins/st-rotate/state/meta").then().body("keyVersion", equalTo(before));

        call("st-rotate", "put", Map.of("after", "rotation")).then().statusCode(200);
        call("st-rotate", "save", Map.of()).then().statusCode(200);
        assertThat((String) rawRow("st-rotate").get("data")).startsWith("vault:v" + (before + 1) + ":");
        given().get("/plugins/st-rotate/state/meta").then().body("keyVersion", equalTo(before + 1));

        given().post("/plugins/st-rotate/stop").then().statusCode(200);
        given().post("/plugins/st-rotate/start").then().statusCode(200);
        call("st-rotate", "get", Map.of()).then()
                .body("result.values", equalTo(Map.of("kept", "across rotation", "after", "rotation")));
    }
}
