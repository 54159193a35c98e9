package io.apexagent.host.api;

import java.util.List;
import java.util.Map;

import io.apexagent.host.plugin.PluginSnapshot;
import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.plugin.Permission;

/**
 * A plugin as the REST API shows it.
 *
 * @param id                plugin id
 * @param name              display name
 * @param version           loaded (or chosen) version
 * @param state             lifecycle state
 * @param reason            why it is in that state
 * @param availableVersions versions discovered, highest first
 * @param description       what it does
 * @param isolation         classloader or process
 * @param defaultEnabled    whether it starts without an operator's command
 * @param permissions       declared permissions
 * @param granted           effective permissions
 * @param dependencies      plugin id → range (with "(optional)")
 * @param actions           action names
 * @param inFlight          calls running now
 */
public record PluginView(String id, String name, String version, String state, String reason,
        List<String> availableVersions, String description, String isolation, boolean defaultEnabled,
        List<String> permissions, List<String> granted, Map<String, String> dependencies, List<String> actions,
        int inFlight) {

    static PluginView of(PluginSnapshot s) {
        PluginManifest m = s.manifest();
        return new PluginView(s.id(), m == null ? null : m.name(), s.version(), s.state().name(), s.reason(),
                s.availableVersions(), m == null ? null : m.description(), m == null ? null : m.isolation(),
                m != null && m.defaultEnabled(), m == null ? List.of() : m.permissions(),
                s.granted().stream().map(Permission::manifestName).sorted().toList(),
                m == null ? Map.of() : dependencies(m),
                m == null ? List.of() : m.actions().stream().map(PluginManifest.Action::name).toList(), s.inFlight());
    }

    private static Map<String, String> dependencies(PluginManifest m) {
        Map<String, String> deps = new java.util.TreeMap<>();
        m.dependencies().plugins().values().forEach(
                d -> deps.put(d.pluginId(), d.range() + (d.optional() ? " (optional)" : "")));
        return deps;
    }
}
