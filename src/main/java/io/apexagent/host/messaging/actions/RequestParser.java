package io.apexagent.host.messaging.actions;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.apexagent.host.plugin.discovery.PluginVersions;
import io.apexagent.host.plugin.runtime.JsonParams;

/**
 * Turns the raw text of a request record into an {@link ActionRequest}, or says precisely why not.
 * Records without a usable requestId are {@link Malformed} (they go to the DLQ: nobody could read an
 * answer); records with a requestId but bad fields are {@link Invalid} (they get an error result).
 * Thread-safe.
 */
public final class RequestParser {

    /** Outcome of parsing. */
    public sealed interface Parsed permits Valid, Invalid, Malformed {
    }

    /** A usable request. */
    public record Valid(ActionRequest request) implements Parsed {
    }

    /** A request with an id whose other fields are wrong: answered with an error record. */
    public record Invalid(String requestId, String pluginId, String action, String reason) implements Parsed {
    }

    /** A record that is not a request at all: sent to the DLQ with the reason. */
    public record Malformed(String reason) implements Parsed {
    }

    /**
     * Longest requestId, pluginId and action: their columns in {@code action_execution} ({@code VARCHAR(128)}).
     * The parser refuses what PostgreSQL would, with NUL characters: a claim the database refuses would fail on every
     * retry, and the request would never be answered.
     */
    static final int MAX_ID_CHARS = 128;

    /** Longest version range: far more than any real one, and a bound on what the range parser is handed. */
    static final int MAX_VERSION_CHARS = 256;

    private final ObjectMapper json;
    private final int maxBytes;

    public RequestParser(ObjectMapper json, int maxBytes) {
        this.json = json;
        this.maxBytes = maxBytes;
    }

    public Parsed parse(String value) {
        if (value == null || value.isBlank()) {
            return new Malformed("empty record: expected a JSON object with requestId, pluginId, action, params");
        }
        // A char takes at most 3 UTF-8 bytes (a surrogate pair 4 for 2 chars): most records need no encoding to tell.
        int size = value.length() * 3L <= maxBytes ? value.length() : value.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxBytes) {
            return new Malformed("oversized record: " + size + " bytes, limit " + maxBytes
                    + " (apex.actions.max-request-bytes)");
        }
        JsonNode root;
        try {
            root = json.readTree(value);
        } catch (JsonProcessingException e) {
            return new Malformed("not JSON: " + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr());
        }
        if (root == null || !root.isObject()) {
            return new Malformed("not a JSON object: expected {\"requestId\": ..., \"pluginId\": ..., ...}");
        }
        JsonNode id = root.get("requestId");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            return new Malformed("missing requestId: /requestId must be a non-empty string");
        }
        String requestId = id.asText();
        if (requestId.length() > MAX_ID_CHARS) {
            return new Malformed("requestId longer than " + MAX_ID_CHARS + " characters");
        }
        if (requestId.indexOf('\0') >= 0) {
            return new Malformed("requestId contains a NUL character (U+0000), which cannot be stored");
        }
        String pluginId = text(root, "pluginId");
        String action = text(root, "action");
        String mistyped = notAString(root, "pluginId", "action", "version", "deadline", "traceparent");
        if (mistyped != null) {
            return new Invalid(requestId, pluginId, action, mistyped);
        }
        if (pluginId == null) {
            return new Invalid(requestId, null, action, "/pluginId: missing; expected the id of a plugin");
        }
        if (action == null) {
            return new Invalid(requestId, pluginId, null, "/action: missing; expected an action name");
        }
        String unstorable = unstorable("pluginId", pluginId);
        if (unstorable == null) {
            unstorable = unstorable("action", action);
        }
        if (unstorable != null) {
            return new Invalid(requestId, pluginId, action, unstorable);
        }
        JsonNode params = root.get("params");
        if (params != null && !params.isNull() && !params.isObject()) {
            return new Invalid(requestId, pluginId, action, "/params: expected a JSON object, got " + params.getNodeType());
        }
        String version = text(root, "version");
        if (version != null && version.length() > MAX_VERSION_CHARS) {
            return new Invalid(requestId, pluginId, action, "/version: longer than " + MAX_VERSION_CHARS
                    + " characters (" + version.length() + "); expected a semver range such as ^1.2.0");
        }
        if (version != null && !PluginVersions.isValidRange(version)) {
            return new Invalid(requestId, pluginId, action, "/version: " + PluginVersions.notARange(version));
        }
        Instant deadline = null;
        String deadlineText = text(root, "deadline");
        if (deadlineText != null) {
            try {
                deadline = Instant.parse(deadlineText);
            } catch (DateTimeParseException e) {
                return new Invalid(requestId, pluginId, action,
                        "/deadline: '" + deadlineText + "' is not an ISO-8601 instant such as 2026-01-01T12:00:00Z");
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> paramMap = params == null || params.isNull() ? Map.of()
                : new JsonParams(json.convertValue(params, Map.class), params);
        return new Valid(new ActionRequest(requestId, pluginId, action, paramMap, version, deadline,
                text(root, "traceparent")));
    }

    /** @return why {@code value} cannot be stored in its {@code action_execution} column, or null if it can */
    private static String unstorable(String field, String value) {
        if (value.length() > MAX_ID_CHARS) {
            return "/" + field + ": longer than " + MAX_ID_CHARS + " characters (" + value.length() + ")";
        }
        if (value.indexOf('\0') >= 0) {
            return "/" + field + ": contains a NUL character (U+0000)";
        }
        return null;
    }

    /**
     * @return why the first of {@code fields} present and neither null nor a string is wrong, or null: read as
     *         absent, a {@code "version": 2} or an epoch-millis deadline would be silently ignored
     */
    private static String notAString(JsonNode root, String... fields) {
        for (String field : fields) {
            JsonNode n = root.get(field);
            if (n != null && !n.isNull() && !n.isTextual()) {
                return "/" + field + ": expected a string, got " + n.getNodeType();
            }
        }
        return null;
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        return n != null && n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
    }
}
