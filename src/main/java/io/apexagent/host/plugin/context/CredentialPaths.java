package io.apexagent.host.plugin.context;

import io.quarkus.vault.client.VaultClientException;

/** Where plugin credentials live in Vault KV v2 (mount {@code secret/}): {@code apex/plugins/<pluginId>/<name>}. */
public final class CredentialPaths {

    /** The KV field holding a credential's value. */
    public static final String VALUE_FIELD = "value";

    private CredentialPaths() {
    }

    /** @return the KV path (relative to the mount) of one credential */
    public static String of(String pluginId, String name) {
        return folderOf(pluginId) + name;
    }

    /** @return the KV folder (relative to the mount, with a trailing slash) of one plugin's credentials */
    public static String folderOf(String pluginId) {
        return "apex/plugins/" + pluginId + "/";
    }

    /** @return whether a Vault call failed because the path does not exist */
    public static boolean isNotFound(Throwable t) {
        return t instanceof VaultClientException e && e.getStatus() == 404;
    }
}
