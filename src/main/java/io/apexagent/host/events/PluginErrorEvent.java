package io.apexagent.host.events;

import java.time.Instant;

/**
 * A plugin error for auditors ({@code apex.plugin.errors}): never carries parameters or secrets.
 *
 * @param pluginId plugin id
 * @param version  plugin version (may be null when no version was loaded)
 * @param type     error type, e.g. {@code initialization}, {@code execution}, {@code security}
 * @param action   action concerned, or null
 * @param message  what went wrong
 * @param nodeId   replica
 * @param time     when
 */
public record PluginErrorEvent(String pluginId, String version, String type, String action, String message,
        String nodeId, Instant time) {
}
