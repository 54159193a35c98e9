package io.apexagent.plugin;

import java.util.Set;

/** A plugin that wants to know what it may do and when its credentials change. */
public interface SecurityAwarePlugin extends BasePlugin {

    /** @return the permissions this plugin needs to work at all (a subset of its manifest's) */
    Set<Permission> requiredPermissions();

    /**
     * Tells the plugin its effective grant (manifest permissions narrowed by the operator's policy),
     * before {@code initialize}.
     *
     * @param granted the effective permissions
     */
    void onPermissionsGranted(Set<Permission> granted);

    /**
     * Tells the plugin that one of its credentials has a new version; read it again through
     * {@link PluginContext#credentials()}.
     *
     * @param name    credential name
     * @param version the new version number
     */
    default void onCredentialRotated(String name, int version) {
    }
}
