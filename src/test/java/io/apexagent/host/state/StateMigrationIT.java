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

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Schema versions of stored state: stepwise migration, failed migrations, refused and forced downgrades. */
@QuarkusTest
class StateMigrationIT {

    @Inject
    StateCipher cipher;

    @Test
    void olderStateIsMigratedStepByStepAndThePreviousSnapshotIsKept() throws Exception {
        seed(cipher, "st-migrate", 1, "{\"values\":{\"x\":\"y\"}}");
        writeKvPlugin("st-migrate", "3.0.0", 3);
        rescan();

        given().get("/plugins/st-migrate").then().body("state", equalTo("ACTIVE"));
        call("st-migrate", "get", Map.of()).then().statusCode(200)
                .body("result.values", equalTo(Map.of("x", "y", "step_1_2", true, "step_2_3", true)));
        Map<String, Object> row = rawRow("st-migrate");
        assertThat(row.get("schema_version")).isEqualTo(3);
        assertThat(row.get("plugin_version")).isEqualTo("3.0.0");
        assertThat(row.get("previous_schema_version")).isEqualTo(1);
        assertThat(cipher.decrypt("st-migrate", (String) row.get("previous_data")).await().indefinitely())
                .isEqualTo("{\"values\":{\"x\":\"y\"}}");
    }

    @Test
    void failedMigrationLeavesTheOldStateIntactAndThePluginFailedWithTheReason() throws Exception {
        seed(cipher, "st-migrate-fail", 1, "{\"values\":{\"fail_at_2\":true}}");
        Map<String, Object> before = rawRow("st-migrate-fail");
        writeKvPlugin("st-migrate-fail", "3.0.0", 3);
        rescan();

        given().get("/plugins/st-migrate-fail").then().body("state", equalTo("FAILED"))
                .body("reason", allOf(containsString("state could not be restored"),
                        containsString("from schema version 1 to 3 failed at step 2→3"),
                        containsString("value fail_at_2 cannot be migrated"),
                        containsString("the stored state (version 1) is left intact")));
        assertThat(rawRow("st-migrate-fail")).isEqualTo(before);
    }

    @Test
    void newerStoredStateIsRefusedUnlessTheOperatorForcesTheDowngrade() throws Exception {
        seed(cipher, "st-downgrade", 5, "{\"values\":{\"from\":\"future\"}}");
        Map<String, Object> before = rawRow("st-downgrade");
        writeKvPlugin("st-downgrade", "2.0.0", 2);
        seed(cipher, "st-downgrade-forced", 5, "{\"values\":{\"from\":\"future\"}}");
        writeKvPlugin("st-downgrade-forced", "2.0.0", 2); // apex.state.allow-downgrade."st-downgrade-forced"=true
        rescan();

        given().get("/plugins/st-downgrade").then().body("state", equalTo("FAILED"))
                .body("reason", allOf(containsString("has schema version 5"),
                        containsString("refusing to downgrade"),
                        containsString("apex.state.allow-downgrade.\"st-downgrade\"=true")));
        assertThat(rawRow("st-downgrade")).isEqualTo(before);

        given().get("/plugins/st-downgrade-forced").then().body("state", equalTo("ACTIVE"));
        call("st-downgrade-forced", "get", Map.of()).then().body("result.values.from", equalTo("future"));
        Map<String, Object> forced = rawRow("st-downgrade-forced");
        assertThat(forced.get("schema_version")).isEqualTo(2);
        assertThat(forced.get("previous_schema_version")).isEqualTo(5);
    }
}
