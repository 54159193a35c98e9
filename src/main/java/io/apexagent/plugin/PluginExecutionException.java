package io.apexagent.plugin;

/** Thrown when an action failed. */
public class PluginExecutionException extends PluginException {

    public PluginExecutionException(String message) {
        super(message);
    }

    public PluginExecutionException(String message, Throwable cause) {
        super(message, cause);
    }

    public PluginExecutionException(String pluginId, String message, Throwable cause) {
        super(pluginId, message, cause);
    }

    @Override
    public String errorType() {
        return "execution";
    }
}
