package io.apexagent.host.messaging.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class RequestParserTest {

    final RequestParser parser = new RequestParser(new ObjectMapper(), 200);

    @Test
    void validRequestWithAllFields() {
        var parsed = parser.parse("""
                {"requestId":"r1","pluginId":"echo","action":"echo","params":{"text":"hi"},
                 "version":"^1.0.0","deadline":"2030-01-01T00:00:00Z","traceparent":"00-abc-def-01"}""");
        assertThat(parsed).isEqualTo(new RequestParser.Valid(new ActionRequest("r1", "echo", "echo",
                Map.of("text", "hi"), "^1.0.0", Instant.parse("2030-01-01T00:00:00Z"), "00-abc-def-01")));
    }

    @Test
    void malformedRecordsSayWhy() {
        assertThat(reason("")).startsWith("empty record");
        assertThat(reason("{not json")).startsWith("not JSON").contains("line 1");
        assertThat(reason("[1,2]")).startsWith("not a JSON object");
        assertThat(reason("{\"pluginId\":\"echo\"}")).startsWith("missing requestId");
        assertThat(reason("{\"requestId\":\"" + "x".repeat(300) + "\"}")).startsWith("oversized record").contains("limit 200");
    }

    @Test
    void requestWithIdButBadFieldsIsInvalidNotMalformed() {
        assertThat(parser.parse("{\"requestId\":\"r\",\"action\":\"a\"}"))
                .isEqualTo(new RequestParser.Invalid("r", null, "a", "/pluginId: missing; expected the id of a plugin"));
        assertThat(parser.parse("{\"requestId\":\"r\",\"pluginId\":\"p\",\"action\":\"a\",\"params\":[1]}"))
                .isInstanceOf(RequestParser.Invalid.class)
                .hasToString(new RequestParser.Invalid("r", "p", "a", "/params: expected a JSON object, got ARRAY").toString());
        assertThat(parser.parse("{\"requestId\":\"r\",\"pluginId\":\"p\",\"action\":\"a\",\"deadline\":\"tomorrow\"}"))
                .extracting(p -> ((RequestParser.Invalid) p).reason()).asString().startsWith("/deadline: 'tomorrow'");
    }

    /**
     * An invalid version range made the host's version check throw on every retry (the request was never answered),
     * and fields of the wrong type were read as absent: the request ran on any version, or past its deadline.
     */
    @Test
    void versionRangesAndOptionalFieldsOfTheWrongTypeAreInvalid() {
        RequestParser roomy = new RequestParser(new ObjectMapper(), 10_000);
        assertThat(invalid(roomy, "\"version\":\"^1.0.0 || bogus\"")).isEqualTo("/version: '^1.0.0 || bogus' is not a "
                + "semver range; expected an npm-style range such as ^1.2.0, ~1.2, >=1.0.0 <2.0.0, 1.x, 1.0.0 - 2.0.0 "
                + "or ^1 || ^2");
        assertThat(invalid(roomy, "\"version\":2")).isEqualTo("/version: expected a string, got NUMBER");
        assertThat(invalid(roomy, "\"version\":\"" + "^1.0.0 || ".repeat(26) + "^1.0.0\"")).isEqualTo(
                "/version: longer than 256 characters (266); expected a semver range such as ^1.2.0");
        assertThat(invalid(roomy, "\"deadline\":1767225600000")).isEqualTo("/deadline: expected a string, got NUMBER");
        assertThat(invalid(roomy, "\"traceparent\":{}")).isEqualTo("/traceparent: expected a string, got OBJECT");
        assertThat(roomy.parse("{\"requestId\":\"r\",\"pluginId\":7,\"action\":\"a\"}")).isEqualTo(
                new RequestParser.Invalid("r", null, "a", "/pluginId: expected a string, got NUMBER"));
        assertThat(roomy.parse("{\"requestId\":\"r\",\"pluginId\":\"p\",\"action\":\"a\",\"version\":null,"
                + "\"deadline\":null,\"traceparent\":null}")).isInstanceOf(RequestParser.Valid.class);
    }

    private static String invalid(RequestParser parser, String field) {
        var parsed = parser.parse("{\"requestId\":\"r\",\"pluginId\":\"p\",\"action\":\"a\"," + field + "}");
        assertThat(parsed).isInstanceOf(RequestParser.Invalid.class);
        return ((RequestParser.Invalid) parsed).reason();
    }

    @Test
    void idsTheDatabaseCannotStoreAreRefusedAtTheLimitOfItsColumns() {
        RequestParser roomy = new RequestParser(new ObjectMapper(), 10_000);
        String atLimit = "x".repeat(RequestParser.MAX_ID_CHARS);
        assertThat(roomy.parse(request(atLimit, atLimit, atLimit))).isInstanceOf(RequestParser.Valid.class);
        assertThat(((RequestParser.Malformed) roomy.parse(request(atLimit + "x", "p", "a"))).reason())
                .isEqualTo("requestId longer than 128 characters");
        assertThat(((RequestParser.Malformed) roomy.parse(request("r\\u0000", "p", "a"))).reason())
                .isEqualTo("requestId contains a NUL character (U+0000), which cannot be stored");
        assertThat(roomy.parse(request("r", atLimit + "p", "a"))).isEqualTo(new RequestParser.Invalid("r",
                atLimit + "p", "a", "/pluginId: longer than 128 characters (129)"));
        assertThat(roomy.parse(request("r", "p", atLimit + "a"))).isEqualTo(new RequestParser.Invalid("r", "p",
                atLimit + "a", "/action: longer than 128 characters (129)"));
        assertThat(roomy.parse(request("r", "p\\u0000", "a"))).isEqualTo(new RequestParser.Invalid("r", "p\0", "a",
                "/pluginId: contains a NUL character (U+0000)"));
        assertThat(roomy.parse(request("r", "p", "\\u0000a"))).isEqualTo(new RequestParser.Invalid("r", "p", "\0a",
                "/action: contains a NUL character (U+0000)"));
    }

    private static String request(String requestId, String pluginId, String action) {
        return """
                {"requestId":"%s","pluginId":"%s","action":"%s","params":{}}""".formatted(requestId, pluginId, action);
    }

    private String reason(String value) {
        var parsed = parser.parse(value);
        assertThat(parsed).isInstanceOf(RequestParser.Malformed.class);
        return ((RequestParser.Malformed) parsed).reason();
    }
}
