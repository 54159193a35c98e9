package io.apexagent.host.security;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.plugin.Permission;

/**
 * The operator's narrowing of plugin grants ({@code apex.security.policy."<id>".*}), checked once when
 * read: an unknown permission name, an escaping path or a malformed host is a configuration error that
 * names the key.
 * Immutable, thread-safe.
 */
public final class OperatorPolicy {

    /** No narrowing at all. */
    public static final OperatorPolicy NONE = new OperatorPolicy(Map.of());

    /**
     * The policy of one plugin.
     *
     * @param denied       permissions removed from its manifest's grant
     * @param allowedPaths data sub-directories its file calls may reach; empty: all of its data directory
     * @param allowedHosts hosts its HTTP requests may reach; when restricted, its own code may not open
     *                     connections (the load-time scan refuses it), since those could go anywhere
     * @param internalAddresses whether its HTTP requests may reach internal addresses of hosts that
     *                     {@code allowedHosts} does not name exactly; empty: the host's default
     */
    public record Rules(Set<Permission> denied, List<String> allowedPaths, AllowedHosts allowedHosts,
            Optional<Boolean> internalAddresses) {

        static final Rules OPEN = new Rules(Set.of(), List.of(), AllowedHosts.ANY, Optional.empty());

        /** @return the manifest's permissions without the denied ones */
        public Set<Permission> narrow(Set<Permission> declared) {
            Set<Permission> granted = declared.isEmpty() ? EnumSet.noneOf(Permission.class) : EnumSet.copyOf(declared);
            granted.removeAll(denied);
            return granted;
        }
    }

    private final Map<String, Rules> byPlugin;

    private OperatorPolicy(Map<String, Rules> byPlugin) {
        this.byPlugin = Map.copyOf(byPlugin);
    }

    /** @return the policy of the configuration; {@link IllegalArgumentException} naming a bad entry */
    public static OperatorPolicy of(Map<String, ApexConfig.PluginPolicy> config) {
        Map<String, Rules> rules = new TreeMap<>();
        config.forEach((id, p) -> rules.put(id, new Rules(denied(id, p.deny().orElse(List.of())),
                paths(id, p.allowedPaths().orElse(List.of())), p.allowedHosts()
                        .map(hosts -> AllowedHosts.parse("apex.security.policy.\"" + id + "\".allowed-hosts", hosts))
                        .orElse(AllowedHosts.ANY), p.internalAddresses())));
        return new OperatorPolicy(rules);
    }

    /** @return the rules for one plugin (open when the operator set none) */
    public Rules of(String pluginId) {
        return byPlugin.getOrDefault(pluginId, Rules.OPEN);
    }

    private static Set<Permission> denied(String id, List<String> names) {
        Set<Permission> denied = EnumSet.noneOf(Permission.class);
        for (String name : names) {
            denied.add(Permission.fromManifestName(name.trim()).orElseThrow(() -> new IllegalArgumentException(
                    "apex.security.policy.\"" + id + "\".deny names unknown permission '" + name + "'; known: "
                            + java.util.Arrays.stream(Permission.values()).map(Permission::manifestName).toList())));
        }
        return denied;
    }

    private static List<String> paths(String id, List<String> paths) {
        for (String path : paths) {
            java.nio.file.Path p = java.nio.file.Path.of(path.trim()).normalize();
            if (p.isAbsolute() || p.startsWith("..") || path.isBlank()) {
                throw new IllegalArgumentException("apex.security.policy.\"" + id + "\".allowed-paths entry '" + path
                        + "' must be a relative path inside the plugin's data directory");
            }
        }
        return paths.stream().map(String::trim).toList();
    }
}
