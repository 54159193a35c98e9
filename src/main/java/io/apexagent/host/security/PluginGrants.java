package io.apexagent.host.security;

import java.util.EnumSet;
import java.util.Set;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.plugin.Permission;

/** The effective grant of a plugin: what both the load-time scan and the run-time guard check against. */
public final class PluginGrants {

    private PluginGrants() {
    }

    /** @return the manifest's declared permissions (an operator policy may narrow them) */
    public static Set<Permission> of(PluginManifest manifest) {
        Set<Permission> granted = EnumSet.noneOf(Permission.class);
        for (String name : manifest.permissions()) {
            Permission.fromManifestName(name).ifPresent(granted::add);
        }
        return granted;
    }
}
