package io.apexagent.host.api;

import java.util.List;

/**
 * The body of every error answer.
 *
 * @param type     stable error type, e.g. {@code action_not_found}
 * @param message  what was wrong, where, and how to fix it
 * @param pluginId plugin concerned, or null
 * @param problems individual problems (schema violations, manifest errors), may be empty
 */
public record ErrorResponse(String type, String message, String pluginId, List<String> problems) {
}
