package io.apexagent.host.security.credentials;

import io.apexagent.plugin.PluginException;

/** A credential request with a bad plugin id, name or value; the message never contains the value. */
public class InvalidCredentialException extends PluginException {

    public InvalidCredentialException(String pluginId, String message) {
        super(pluginId, message, null);
    }

    @Override
    public String errorType() {
        return "invalid_credential";
    }
}
