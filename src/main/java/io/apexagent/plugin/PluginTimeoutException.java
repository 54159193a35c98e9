package io.apexagent.plugin;

/** Thrown when an action exceeded its time limit. */
public class PluginTimeoutException extends PluginException {

    public PluginTimeoutException(String message) {
        super(message);
    }

    public PluginTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }

    public PluginTimeoutException(String pluginId, String message, Throwable cause) {
        super(pluginId, message, cause);
    }

    @Override
    public String errorType() {
        return "timeout";
    }
}
