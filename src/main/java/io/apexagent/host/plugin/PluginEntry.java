package io.apexagent.host.plugin;

import java.util.List;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.plugin.lifecycle.PluginState;
import io.apexagent.host.plugin.runtime.ManagedPlugin;

/**
 * Everything the registry knows about one plugin id: the versions discovered, the version serving now
 * (if any) and, when nothing could be loaded, why. Fields are volatile: readers see a consistent
 * reference; writers are serialized by the manager's lifecycle thread.
 */
final class PluginEntry {

    final String id;
    volatile List<PluginManifest> versions = List.of();
    volatile ManagedPlugin current;
    /** Why the plugin is failed without a loaded version (bad manifest, dependency problem, load error). */
    volatile String failure;
    volatile String failedVersion;

    PluginEntry(String id) {
        this.id = id;
    }

    PluginState state() {
        ManagedPlugin c = current;
        if (c != null) {
            return c.lifecycle().state();
        }
        return failure != null ? PluginState.FAILED : PluginState.DISCOVERED;
    }

    String reason() {
        ManagedPlugin c = current;
        if (c != null) {
            return c.lifecycle().reason();
        }
        return failure != null ? failure : "discovered";
    }
}
