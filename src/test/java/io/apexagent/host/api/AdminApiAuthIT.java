package io.apexagent.host.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.apexagent.host.testing.TestAuth;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Every endpoint group of the admin API against every kind of caller: anonymous → 401, a role below the
 * group's → 403, the group's role and above → through to the endpoint. Calls that would change something
 * name a plugin that does not exist, so "through" shows as 404 and nothing changes.
 */
@QuarkusTest
class AdminApiAuthIT {

    private static final List<String> ROLES = List.of(Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN);

    /** One endpoint of each group: method, path, the least role that may call it. */
    record Endpoint(String group, String method, String path, String leastRole) {
        @Override
        public String toString() {
            return group + " " + method + " " + path;
        }
    }

    static Stream<Endpoint> endpoints() {
        return Stream.of(
                new Endpoint("plugins list", "GET", "/plugins", Roles.VIEWER),
                new Endpoint("plugin get", "GET", "/plugins/echo", Roles.VIEWER),
                new Endpoint("action list", "GET", "/plugins/echo/actions", Roles.VIEWER),
                new Endpoint("API description", "GET", "/q/openapi", Roles.VIEWER),
                new Endpoint("rescan", "POST", "/plugins/rescan", Roles.OPERATOR),
                new Endpoint("lifecycle", "POST", "/plugins/no-such-plugin/stop?scope=local", Roles.OPERATOR),
                new Endpoint("action call", "POST", "/plugins/no-such-plugin/actions/run", Roles.OPERATOR),
                // A real (short) stream: a failing one would end the chunked response abruptly.
                new Endpoint("action stream", "POST", "/plugins/ticker/actions/count/stream", Roles.OPERATOR),
                new Endpoint("state meta", "GET", "/plugins/no-such-plugin/state/meta", Roles.ADMIN),
                new Endpoint("state delete", "DELETE", "/plugins/no-such-plugin/state", Roles.ADMIN),
                new Endpoint("credential list", "GET", "/plugins/no-such-plugin/credentials", Roles.ADMIN),
                new Endpoint("credential write", "PUT", "/plugins/no-such-plugin/credentials/bad name", Roles.ADMIN),
                new Endpoint("credential delete", "DELETE", "/plugins/no-such-plugin/credentials/none", Roles.ADMIN));
    }

    static Stream<Arguments> endpointsAndRoles() {
        return endpoints().flatMap(e -> ROLES.stream().map(role -> Arguments.of(e, role)));
    }

    @ParameterizedTest(name = "{0}: anonymous → 401")
    @MethodSource("endpoints")
    void anonymousCallsAreUnauthorized(Endpoint e) {
        assertThat(call(given().auth().none(), e)).isEqualTo(401);
    }

    @ParameterizedTest(name = "{0}: wrong password → 401")
    @MethodSource("endpoints")
    void aWrongPasswordIsUnauthorized(Endpoint e) {
        assertThat(call(given().auth().preemptive().basic(Roles.ADMIN, "not-the-password"), e)).isEqualTo(401);
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("endpointsAndRoles")
    void eachRoleReachesExactlyItsGroups(Endpoint e, String role) {
        assertOutcome(call(given().auth().preemptive().basic(role, TestAuth.password(role)), e), e, role);
    }

    @ParameterizedTest(name = "{0} with a bearer token of {1}")
    @MethodSource("endpointsAndRoles")
    void bearerTokensCarryTheirRolesInGroups(Endpoint e, String role) {
        assertOutcome(call(given().auth().oauth2(TestAuth.token("someone", role)), e), e, role);
    }

    @Test
    void eventStreamNeedsAUser() {
        given().auth().none().get("/events").then().statusCode(401);
        given().auth().oauth2(TestAuth.token("someone", "auditor")).get("/events").then().statusCode(403);
    }

    @Test
    void aTokenWithATamperedSignatureIsUnauthorized() {
        String token = TestAuth.token("someone", Roles.ADMIN);
        String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        given().auth().oauth2(tampered).get("/plugins").then().statusCode(401);
        given().auth().oauth2("not-a-jwt").get("/plugins").then().statusCode(401);
    }

    @Test
    void probesAndMetricsStayOpen() {
        given().auth().none().get("/q/health/live").then().statusCode(200);
        given().auth().none().get("/q/health/ready").then().statusCode(200);
        given().auth().none().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void theDefaultTestUserIsAnAdmin() {
        given().get("/plugins/no-such-plugin/credentials").then().statusCode(200);
    }

    /** Below the group's least role: 403; at or above it: through to the endpoint (neither 401 nor 403). */
    private static void assertOutcome(int status, Endpoint e, String role) {
        if (ROLES.indexOf(role) < ROLES.indexOf(e.leastRole())) {
            assertThat(status).as("%s as %s", e, role).isEqualTo(403);
        } else {
            assertThat(status).as("%s as %s", e, role).isNotIn(401, 403);
        }
    }

    private static int call(RequestSpecification request, Endpoint e) {
        RequestSpecification r = request.contentType(ContentType.JSON);
        if (!e.method().equals("GET") && !e.method().equals("DELETE")) {
            r = r.body(Map.of("value", "x", "from", 1, "to", 2));
        }
        return r.request(e.method(), e.path()).statusCode();
    }
}
