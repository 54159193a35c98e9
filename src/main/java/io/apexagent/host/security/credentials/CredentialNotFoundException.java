package io.apexagent.host.security.credentials;

import io.apexagent.plugin.PluginException;

/** A credential that does not exist (or no longer exists) in Vault. */
public class CredentialNotFoundException extends PluginException {

    public CredentialNotFoundException(String pluginId, String name) {
        super(pluginId, "plugin " + pluginId + " has no credential named '" + name
                + "' (list them with GET /plugins/" + pluginId + "/credentials)", null);
    }

    @Override
    public String errorType() {
        return "credential_not_found";
    }
}
