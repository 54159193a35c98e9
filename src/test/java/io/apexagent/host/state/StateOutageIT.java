package io.apexagent.host.state;

import static io.apexagent.host.state.StateFixtures.call;
import static io.apexagent.host.state.StateFixtures.rescan;
import static io.apexagent.host.state.StateFixtures.writeKvPlugin;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.apexagent.host.testing.TestInfrastructure;
import io.quarkus.test.junit.QuarkusTest;

/**
 * PostgreSQL and OpenBao really stopped and started again: saves fail clearly, the plugin keeps its
 * state in memory, and the host saves it once the server is back.
 */
@QuarkusTest
class StateOutageIT {

    static final Duration BACK = Duration.ofSeconds(30);

    @Test
    void postgresOutageKeepsStateInMemoryAndTheSaveIsRetriedWhenItIsBack() {
        writeKvPlugin("st-pg-outage", "1.0.0", 1);
        rescan();
        call("st-pg-outage", "put", Map.of("a", 1)).then().statusCode(200);
        call("st-pg-outage", "save", Map.of()).then().statusCode(200);

        TestInfrastructure infra = TestInfrastructure.get();
        infra.stopPostgres();
        try {
            call("st-pg-outage", "put", Map.of("b", 2)).then().statusCode(200);
            call("st-pg-outage", "save", Map.of()).then().statusCode(503)
                    .body("type", equalTo("state_unavailable"))
                    .body("message", allOf(containsString("could not write the state of plugin st-pg-outage"),
                            containsString("PostgreSQL"), containsString("keeps its state in memory"),
                            containsString("retries the save")));
            call("st-pg-outage", "get", Map.of()).then().statusCode(200)
                    .body("result.values", equalTo(Map.of("a", 1, "b", 2)));
            // Stopping during the outage: the plugin stops, its last snapshot waits for the database.
            call("st-pg-outage", "put", Map.of("c", 3)).then().statusCode(200);
            given().post("/plugins/st-pg-outage/stop").then().statusCode(200).body("state", equalTo("STOPPED"));
            given().get("/plugins/st-pg-outage/state/meta").then().statusCode(503)
                    .body("message", containsString("PostgreSQL"));
        } finally {
            infra.startPostgres();
        }

        await().atMost(BACK).untilAsserted(() -> given().get("/plugins/st-pg-outage/state/meta").then()
                .statusCode(200).body("savePending", equalTo(false))
                .body("sizeBytes", equalTo(StateCodec.sizeOf("{\"values\":{\"a\":1,\"b\":2,\"c\":3}}"))));
        given().post("/plugins/st-pg-outage/start").then().statusCode(200).body("state", equalTo("ACTIVE"));
        call("st-pg-outage", "get", Map.of()).then().body("result.values", equalTo(Map.of("a", 1, "b", 2, "c", 3)));
    }

    @Test
    void vaultOutageKeepsStateInMemoryAndTheSaveIsRetriedWhenItIsBack() {
        writeKvPlugin("st-vault-outage", "1.0.0", 1);
        rescan();
        call("st-vault-outage", "put", Map.of("a", 1)).then().statusCode(200);

        TestInfrastructure infra = TestInfrastructure.get();
        infra.stopVault();
        try {
            call("st-vault-outage", "save", Map.of()).then().statusCode(503)
                    .body("type", equalTo("state_unavailable"))
                    .body("message", allOf(containsString("Vault (OpenBao) could not encrypt the state of plugin"
                            + " st-vault-outage"), containsString("keeps its state in memory")));
            call("st-vault-outage", "put", Map.of("b", 2)).then().statusCode(200);
            given().post("/plugins/st-vault-outage/stop").then().statusCode(200).body("state", equalTo("STOPPED"));
            // Nothing can be stored unencrypted: there is no row yet.
            given().get("/plugins/st-vault-outage/state/meta").then().statusCode(404);
        } finally {
            infra.startVault();
        }

        await().atMost(BACK).untilAsserted(() -> given().get("/plugins/st-vault-outage/state/meta").then()
                .statusCode(200).body("savePending", equalTo(false)).body("encrypted", equalTo(true)));
        given().post("/plugins/st-vault-outage/start").then().statusCode(200).body("state", equalTo("ACTIVE"));
        call("st-vault-outage", "get", Map.of()).then().body("result.values", equalTo(Map.of("a", 1, "b", 2)));
    }
}
