package io.apexagent.host.messaging.actions;

import java.time.Instant;
import java.util.Map;

/**
 * An action request as other services write it to {@code apex.actions.requests} (JSON, key requestId).
 *
 * @param requestId    unique id chosen by the caller; results carry it as their key
 * @param pluginId     plugin to call
 * @param action       action to run
 * @param params       parameters (validated against the action's parameters_schema)
 * @param versionRange optional npm-style range the serving plugin version must satisfy
 * @param deadline     optional instant after which the request must not start
 * @param traceparent  optional W3C trace context
 */
public record ActionRequest(String requestId, String pluginId, String action, Map<String, Object> params,
        String versionRange, Instant deadline, String traceparent) {
}
