package io.apexagent.host.plugin;

/**
 * The outcome of a non-streaming action call.
 *
 * @param pluginId      plugin that ran it
 * @param pluginVersion version that ran it
 * @param action        action name
 * @param result        JSON-compatible result
 */
public record ActionResult(String pluginId, String pluginVersion, String action, Object result) {
}
