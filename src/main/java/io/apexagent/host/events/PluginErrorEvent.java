package io.apexagent.host.events;

import java.time.Instant;

/**
 * A plugin error or security event for auditors ({@code apex.plugin.errors}): never carries parameters
 * or secrets. Security events (denied calls, refused loads, credential writes and deletions) are the
 * ones whose type starts with {@value #SECURITY}.
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

    /** Type of denied calls and refused loads, and prefix of every other security event type. */
    public static final String SECURITY = "security";

    /** @return whether this is a security event rather than a plain error */
    public boolean isSecurityEvent() {
        return type != null && type.startsWith(SECURITY);
    }
}
