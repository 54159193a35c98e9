package io.apexagent.host.cluster;

import java.time.Instant;

/**
 * An admin operation for every replica, as written to {@code apex.plugin.commands} (key pluginId).
 *
 * @param commandId unique id
 * @param pluginId  plugin concerned
 * @param operation start, stop, pause, resume, reload or unload
 * @param reason    who asked and why
 * @param nodeId    replica that received the admin call
 * @param time      when
 */
public record ClusterCommand(String commandId, String pluginId, String operation, String reason, String nodeId,
        Instant time) {
}
