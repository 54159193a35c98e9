package io.apexagent.host.security.credentials;

import java.time.Instant;

/**
 * A new credential version, as told to the other replicas on {@code apex.plugin.credentials} (key
 * pluginId). Carries the name and version only: each replica reads the value from Vault itself.
 *
 * @param pluginId plugin whose credential changed
 * @param name     credential name
 * @param version  the new version
 * @param nodeId   replica that wrote it
 * @param time     when
 */
public record CredentialRotation(String pluginId, String name, int version, String nodeId, Instant time) {
}
