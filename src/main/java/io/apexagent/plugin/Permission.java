package io.apexagent.plugin;

import java.util.Arrays;
import java.util.Optional;

/** The closed vocabulary of permissions a manifest may declare; the manifest uses {@link #manifestName()}. */
public enum Permission {
    /** Read files inside the plugin's data directory. */
    FILE_SYSTEM_READ,
    /** Create, change and delete files inside the plugin's data directory. */
    FILE_SYSTEM_WRITE,
    /** Reach network hosts (those the operator allows) through the context's HTTP client. */
    NETWORK_ACCESS,
    /** Read the plugin's own credentials from Vault. */
    CREDENTIAL_ACCESS,
    /** Publish custom events. */
    EVENT_PUBLISH,
    /** Receive events. */
    EVENT_SUBSCRIBE,
    /** Call actions of the plugins it declares as dependencies. */
    PLUGIN_INVOKE,
    /** Persist state through the host. */
    STATE_ACCESS;

    /** @return the name used in manifests, e.g. {@code file_system_read} */
    public String manifestName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @return the permission with this manifest name, if it is one */
    public static Optional<Permission> fromManifestName(String name) {
        return Arrays.stream(values()).filter(p -> p.manifestName().equals(name)).findFirst();
    }
}
