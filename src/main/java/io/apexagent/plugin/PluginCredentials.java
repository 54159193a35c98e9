package io.apexagent.plugin;

import java.util.Optional;

import io.smallrye.mutiny.Uni;

/** The plugin's own credentials, kept in Vault (credential_access). Values are never logged. */
public interface PluginCredentials {

    /**
     * @param name credential name
     * @return its current value, or empty if there is none
     */
    Uni<Optional<String>> get(String name);
}
