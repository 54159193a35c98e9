package io.apexagent.host.state;

import static io.apexagent.host.state.StateFixtures.call;
import static io.apexagent.host.state.StateFixtures.rawRow;
import static io.apexagent.host.state.StateFixtures.rescan;
import static io.apexagent.host.state.StateFixtures.seed;
import static io.apexagent.host.state.StateFixtures.writeKvPlugin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Plugin state end to end: saved on stop and on demand, restored on load, encrypted at rest, limited, deleted. */
@QuarkusTest
class PluginStateIT {

    @Inject
    StateCipher cipher;

    @Test
    void stateSurvivesStopStartAndIsOnlyCiphertextInTheDatabase() throws Exception {
        writeKvPlugin("st-roundtrip", "1.0.0", 1);
        rescan();
        call("st-roundtrip", "put", Map.of("secret", "plaintext-marker-4711")).then().statusCode(200);

        given().post("/plugins/st-roundtrip/stop").then().statusCode(200).body("state", equalTo("STOPPED"));

        Map<String, Object> row = rawRow("st-roundtrip");
        assertThat((String) row.get("data")).startsWith("vault:v").doesNotContain("plaintext-marker-4711");
        assertThat(row.get("encrypted")).isEqualTo(true);
        assertThat(row.get("schema_version")).isEqualTo(1);
        String json = "{\"values\":{\"secret\":\"plaintext-marker-4711\"}}";
        assertThat(row.get("size_bytes")).isEqualTo(StateCodec.sizeOf(json));
        assertThat(cipher.decrypt("st-roundtrip", (String) row.get("data")).await().indefinitely()).isEqualTo(json);

        given().get("/plugins/st-roundtrip/state/meta").then().statusCode(200)
                .body("schemaVersion", equalTo(1))
                .body("pluginVersion", equalTo("1.0.0"))
                .body("sizeBytes", equalTo(StateCodec.sizeOf(json)))
                .body("encrypted", equalTo(true))
                .body("updatedAt", not(nullValue()))
                .body("$", not(hasKey("data")));

        given().post("/plugins/st-roundtrip/start").then().statusCode(200).body("state", equalTo("ACTIVE"));
        call("st-roundtrip", "get", Map.of()).then().statusCode(200)
                .body("result.values.secret", equalTo("plaintext-marker-4711"));
    }

    /** Unload drops the instance and its class loader: what comes back was read from the database, as on a new replica. */
    @Test
    void stateSurvivesUnloadAndLoadAndIsHandedOverOnReload() {
        writeKvPlugin("st-reload", "1.0.0", 1);
        rescan();
        call("st-reload", "put", Map.of("before", "unload")).then().statusCode(200);
        given().post("/plugins/st-reload/unload").then().statusCode(200).body("state", equalTo("UNLOADED"));
        given().post("/plugins/st-reload/load").then().statusCode(200);
        given().post("/plugins/st-reload/start").then().statusCode(200).body("state", equalTo("ACTIVE"));
        call("st-reload", "get", Map.of()).then().body("result.values.before", equalTo("unload"));

        call("st-reload", "put", Map.of("before", "reload")).then().statusCode(200);
        writeKvPlugin("st-reload", "1.1.0", 1);
        given().post("/plugins/st-reload/reload").then().statusCode(200)
                .body("version", equalTo("1.1.0")).body("state", equalTo("ACTIVE"));
        call("st-reload", "get", Map.of()).then().body("result.values.before", equalTo("reload"));
    }

    @Test
    void onDemandSaveWritesTheCurrentSnapshot() throws Exception {
        writeKvPlugin("st-ondemand", "1.0.0", 1);
        rescan();
        call("st-ondemand", "put", Map.of("n", 1)).then().statusCode(200);
        call("st-ondemand", "save", Map.of()).then().statusCode(200).body("result.saved", equalTo(true));
        String first = (String) rawRow("st-ondemand").get("data");
        assertThat(cipher.decrypt("st-ondemand", first).await().indefinitely()).isEqualTo("{\"values\":{\"n\":1}}");

        call("st-ondemand", "put", Map.of("n", 2)).then().statusCode(200);
        call("st-ondemand", "save", Map.of()).then().statusCode(200);
        String second = (String) rawRow("st-ondemand").get("data");
        assertThat(cipher.decrypt("st-ondemand", second).await().indefinitely()).isEqualTo("{\"values\":{\"n\":2}}");
    }

    @Test
    void stateOverItsLimitIsRefusedClearlyAndTheStopStillHappens() throws Exception {
        writeKvPlugin("st-limit", "1.0.0", 1); // apex.state.max-bytes-per-plugin."st-limit"=256 in the suite
        rescan();
        call("st-limit", "put", Map.of("small", "ok")).then().statusCode(200);
        call("st-limit", "save", Map.of()).then().statusCode(200);
        call("st-limit", "put", Map.of("big", "x".repeat(300))).then().statusCode(200);

        call("st-limit", "save", Map.of()).then().statusCode(409)
                .body("type", equalTo("state"))
                .body("message", allOf(containsString("over its limit of 256 bytes"),
                        containsString("apex.state.max-bytes-per-plugin.\"st-limit\"")));
        given().post("/plugins/st-limit/stop").then().statusCode(200).body("state", equalTo("STOPPED"));
        assertThat(rawRow("st-limit").get("size_bytes")).isEqualTo(StateCodec.sizeOf("{\"values\":{\"small\":\"ok\"}}"));
    }

    @Test
    void deleteIsRefusedWhileRunningAndThenForgetsTheState() {
        writeKvPlugin("st-delete", "1.0.0", 1);
        rescan();
        call("st-delete", "put", Map.of("k", "v")).then().statusCode(200);
        call("st-delete", "save", Map.of()).then().statusCode(200);

        given().delete("/plugins/st-delete/state").then().statusCode(409)
                .body("message", containsString("stop or unload it before deleting its state"));
        given().post("/plugins/st-delete/stop").then().statusCode(200);
        given().delete("/plugins/st-delete/state").then().statusCode(204);
        given().get("/plugins/st-delete/state/meta").then().statusCode(404)
                .body("message", equalTo("no state is stored for plugin st-delete"));
        given().delete("/plugins/st-delete/state").then().statusCode(404);

        given().post("/plugins/st-delete/start").then().statusCode(200).body("state", equalTo("ACTIVE"));
        call("st-delete", "get", Map.of()).then().body("result.values", equalTo(Map.of()));
    }

    @Test
    void notesReferencePluginMigratesSeededVersion1StateAndRoundTrips() throws Exception {
        given().post("/plugins/notes/stop").then().statusCode(200).body("state", equalTo("STOPPED"));
        seed(cipher, "notes", 1, "{\"notes\":[\"buy milk\",\"call Ada\"]}");

        given().post("/plugins/notes/start").then().statusCode(200).body("state", equalTo("ACTIVE"));
        call("notes", "list", Map.of()).then().statusCode(200)
                .body("result.notes.text", equalTo(java.util.List.of("buy milk", "call Ada")))
                .body("result.notes[0].added", equalTo("1970-01-01T00:00:00Z"));
        Map<String, Object> row = rawRow("notes");
        assertThat(row.get("schema_version")).isEqualTo(2);
        assertThat(row.get("previous_schema_version")).isEqualTo(1);
        assertThat(cipher.decrypt("notes", (String) row.get("previous_data")).await().indefinitely())
                .isEqualTo("{\"notes\":[\"buy milk\",\"call Ada\"]}");

        call("notes", "add", Map.of("text", "third")).then().statusCode(200).body("result.count", equalTo(3));
        given().post("/plugins/notes/stop").then().statusCode(200);
        given().post("/plugins/notes/start").then().statusCode(200);
        call("notes", "list", Map.of()).then()
                .body("result.notes.text", equalTo(java.util.List.of("buy milk", "call Ada", "third")));
        assertThat(rawRow("notes").get("previous_schema_version")).isEqualTo(1);
    }
}
