package io.apexagent.plugin;

/** Thrown when manifest or configuration is invalid. */
public class PluginConfigurationException extends PluginException {

    public PluginConfigurationException(String message) {
        super(message);
    }

    public PluginConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }

    public PluginConfigurationException(String pluginId, String message, Throwable cause) {
        super(pluginId, message, cause);
    }

    @Override
    public String errorType() {
        return "configuration";
    }
}
