package io.apexagent.host.plugin;

import java.util.List;
import java.util.Set;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.plugin.lifecycle.PluginState;
import io.apexagent.plugin.Permission;

/**
 * What the registry knows about one plugin at one moment.
 *
 * @param id                plugin id
 * @param version           the version loaded (or chosen to load), null if none is usable
 * @param state             its lifecycle state
 * @param reason            why it is in that state
 * @param availableVersions every valid version discovered, highest first
 * @param manifest          the manifest of {@code version}, null if none
 * @param granted           effective permissions
 * @param inFlight          calls running now
 */
public record PluginSnapshot(String id, String version, PluginState state, String reason, List<String> availableVersions,
        PluginManifest manifest, Set<Permission> granted, int inFlight) {
}
