package io.apexagent.host.infra;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HealthIT {

    @Test
    void readinessReportsKafkaDatabaseAndVaultUp() {
        given().when().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems(
                        "SmallRye Reactive Messaging - readiness check",
                        io.apexagent.host.messaging.actions.RequestConsumerHealthCheck.NAME,
                        "Reactive PostgreSQL connections health check",
                        "Vault connection health check"))
                .body("checks.findAll { it.status != 'UP' }.size()", equalTo(0))
                .body("checks.find { it.name == '" + io.apexagent.host.messaging.actions.RequestConsumerHealthCheck.NAME
                        + "' }.data.requests_being_run_again", equalTo(0));
    }

    @Test
    void livenessIsUp() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
