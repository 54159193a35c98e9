package io.apexagent.plugin;

/** Thrown when a permission was missing or a security check failed. */
public class PluginSecurityException extends PluginException {

    public PluginSecurityException(String message) {
        super(message);
    }

    public PluginSecurityException(String message, Throwable cause) {
        super(message, cause);
    }

    public PluginSecurityException(String pluginId, String message, Throwable cause) {
        super(pluginId, message, cause);
    }

    @Override
    public String errorType() {
        return "security";
    }
}
