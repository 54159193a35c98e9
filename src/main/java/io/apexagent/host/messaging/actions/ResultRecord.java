package io.apexagent.host.messaging.actions;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One record of {@code apex.actions.results} (key requestId). A request yields its chunks in order
 * (seq 0, 1, ...), then exactly one {@code final} or {@code error} record.
 *
 * @param requestId     the request
 * @param pluginId      plugin called
 * @param pluginVersion version that ran it (null if none ran)
 * @param action        action called
 * @param seq           position in the request's result stream
 * @param type          {@code chunk}, {@code final} or {@code error}
 * @param data          chunk data, or the final result (for a stream: {"chunks": n})
 * @param error         for {@code error}: what went wrong
 * @param nodeId        replica that produced it
 * @param time          when
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResultRecord(String requestId, String pluginId, String pluginVersion, String action, long seq,
        String type, Object data, ErrorInfo error, String nodeId, Instant time) {

    public static final String CHUNK = "chunk";
    public static final String FINAL = "final";
    public static final String ERROR = "error";

    /**
     * @param type    stable error type, e.g. {@code invalid_parameters}, {@code timeout}
     * @param message what was wrong and where
     */
    public record ErrorInfo(String type, String message) {
    }
}
