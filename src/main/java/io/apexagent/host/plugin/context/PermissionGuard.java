package io.apexagent.host.plugin.context;

import java.util.Set;
import java.util.function.Consumer;

import io.apexagent.host.security.PluginGrants;
import io.apexagent.plugin.Permission;
import io.apexagent.plugin.PluginSecurityException;

/** Checks one plugin's effective permissions and reports every denial. Thread-safe (immutable grant). */
public final class PermissionGuard {

    private final String pluginId;
    private final Set<Permission> granted;
    private final Consumer<PluginSecurityException> denials;

    /**
     * @param denials told about every denied call (for security events), before the exception is thrown
     */
    public PermissionGuard(String pluginId, Set<Permission> granted, Consumer<PluginSecurityException> denials) {
        this.pluginId = pluginId;
        this.granted = Set.copyOf(granted);
        this.denials = denials;
    }

    /** @return the effective grant */
    public Set<Permission> granted() {
        return granted;
    }

    /**
     * @param permission needed permission
     * @param what       what the plugin tried, e.g. "read file config.json"
     * @throws PluginSecurityException naming the permission when it is not granted
     */
    public void require(Permission permission, String what) {
        if (!granted.contains(permission)) {
            if (PluginGrants.policyOf(pluginId).denied().contains(permission)) {
                deny("plugin " + pluginId + " may not " + what + ": permission " + permission.manifestName()
                        + " is denied by the operator's policy (apex.security.policy.\"" + pluginId + "\".deny)");
            }
            deny("plugin " + pluginId + " may not " + what + ": permission " + permission.manifestName()
                    + " is not granted (declare it in manifest.json \"permissions\"; the operator's policy may still deny it)");
        }
    }

    /** Reports and throws a denial that is not about a missing permission (e.g. a path outside the data directory). */
    public void deny(String message) {
        PluginSecurityException e = new PluginSecurityException(pluginId, message, null);
        denials.accept(e);
        throw e;
    }
}
