package io.apexagent.host.api;

import java.util.List;
import java.util.Map;

import io.apexagent.host.plugin.PluginSnapshot;
import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.security.OperatorPolicy;
import io.apexagent.host.security.PluginGrants;
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
 * @param granted           effective permissions: the declared ones less what the operator's policy denies
 * @param policy            the operator's policy for this plugin
 * @param dependencies      plugin id → range (with "(optional)")
 * @param actions           action names
 * @param inFlight          calls running now
 */
public record PluginView(String id, String name, String version, String state, String reason,
        List<String> availableVersions, String description, String isolation, boolean defaultEnabled,
        List<String> permissions, List<String> granted, PolicyView policy, Map<String, String> dependencies,
        List<String> actions, int inFlight) {

    /**
     * The operator's narrowing of one plugin's grant.
     *
     * @param denied       permissions removed from the manifest's
     * @param allowedPaths data sub-directories its file calls may reach (empty: all of its data directory)
     * @param allowedHosts hosts its {@code context.http()} requests may reach; null: every host (with
     *                     network_access)
     * @param internalAddresses whether those requests may reach internal addresses of hosts not named exactly in
     *                     {@code allowedHosts}; null: the host's {@code apex.plugins.http.allow-internal-addresses}
     */
    public record PolicyView(List<String> denied, List<String> allowedPaths, List<String> allowedHosts,
            Boolean internalAddresses) {
        static PolicyView of(OperatorPolicy.Rules rules) {
            return new PolicyView(rules.denied().stream().map(Permission::manifestName).sorted().toList(),
                    rules.allowedPaths(), rules.allowedHosts().restricted() ? rules.allowedHosts().describe() : null,
                    rules.internalAddresses().orElse(null));
        }
    }

    static PluginView of(PluginSnapshot s) {
        PluginManifest m = s.manifest();
        return new PluginView(s.id(), m == null ? null : m.name(), s.version(), s.state().name(), s.reason(),
                s.availableVersions(), m == null ? null : m.description(), m == null ? null : m.isolation(),
                m != null && m.defaultEnabled(), m == null ? List.of() : m.permissions(),
                s.granted().stream().map(Permission::manifestName).sorted().toList(),
                PolicyView.of(PluginGrants.policyOf(s.id())),
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
