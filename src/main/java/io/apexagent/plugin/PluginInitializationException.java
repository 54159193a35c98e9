package io.apexagent.plugin;

/** Thrown when plugin failed to initialize. */
public class PluginInitializationException extends PluginException {

    public PluginInitializationException(String message) {
        super(message);
    }

    public PluginInitializationException(String message, Throwable cause) {
        super(message, cause);
    }

    public PluginInitializationException(String pluginId, String message, Throwable cause) {
        super(pluginId, message, cause);
    }

    @Override
    public String errorType() {
        return "initialization";
    }
}
