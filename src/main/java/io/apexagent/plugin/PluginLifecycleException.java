package io.apexagent.plugin;

/** Thrown when an operation is not allowed in the plugin's current state. */
public class PluginLifecycleException extends PluginException {

    public PluginLifecycleException(String message) {
        super(message);
    }

    public PluginLifecycleException(String message, Throwable cause) {
        super(message, cause);
    }

    public PluginLifecycleException(String pluginId, String message, Throwable cause) {
        super(pluginId, message, cause);
    }

    @Override
    public String errorType() {
        return "lifecycle";
    }
}
