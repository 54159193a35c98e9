package io.apexagent.host.security;

import java.util.EnumSet;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.plugin.Permission;
import io.quarkus.runtime.StartupEvent;

/**
 * The effective grant of a plugin: its manifest's declared permissions narrowed by the operator's policy.
 * The load-time scan, the run-time guard and {@code GET /plugins/{id}} all read it from here. The policy
 * is process-wide configuration, installed once at start-up before the first plugin loads (the lifecycle
 * code asks for grants statically). Thread-safe.
 */
@ApplicationScoped
public class PluginGrants {

    private static volatile OperatorPolicy policy = OperatorPolicy.NONE;

    /** Reads {@code apex.security.policy} before the plugin manager's first load (priority 50). */
    void install(@Observes @Priority(10) StartupEvent event, ApexConfig config) {
        usePolicy(OperatorPolicy.of(config.security().policy()));
    }

    /** Replaces the operator policy (start-up, and tests of the verifier alone). */
    public static void usePolicy(OperatorPolicy newPolicy) {
        policy = newPolicy;
    }

    /** @return the operator's rules for one plugin */
    public static OperatorPolicy.Rules policyOf(String pluginId) {
        return policy.of(pluginId);
    }

    /** @return the manifest's declared permissions without those the operator's policy denies */
    public static Set<Permission> of(PluginManifest manifest) {
        Set<Permission> declared = EnumSet.noneOf(Permission.class);
        for (String name : manifest.permissions()) {
            Permission.fromManifestName(name).ifPresent(declared::add);
        }
        return policy.of(manifest.id()).narrow(declared);
    }

    /**
     * @return whether the plugin has network_access but the operator limits it to some hosts
     *         ({@code allowed-hosts}): then only {@code context.http()} can be held to them
     */
    public static boolean hostsNarrowed(PluginManifest manifest) {
        return of(manifest).contains(Permission.NETWORK_ACCESS) && policyOf(manifest.id()).allowedHosts().restricted();
    }
}
