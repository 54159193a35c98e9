package io.apexagent.host.plugin.lifecycle;

import java.time.Instant;

/**
 * One state transition of one plugin version, as published on the internal event bus and forwarded to
 * {@code apex.plugin.lifecycle}.
 *
 * @param pluginId plugin id
 * @param version  plugin version
 * @param from     previous state
 * @param to       new state
 * @param reason   why (operator command, failure message, dependency, reload ...)
 * @param nodeId   replica on which it happened
 * @param time     when
 */
public record LifecycleEvent(String pluginId, String version, PluginState from, PluginState to, String reason,
        String nodeId, Instant time) {
}
