package io.apexagent.plugin;

/** Thrown when the plugin has no such action. */
public class PluginActionNotFoundException extends PluginException {

    public PluginActionNotFoundException(String message) {
        super(message);
    }

    public PluginActionNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }

    public PluginActionNotFoundException(String pluginId, String message, Throwable cause) {
        super(pluginId, message, cause);
    }

    @Override
    public String errorType() {
        return "action_not_found";
    }
}
