package io.apexagent.plugin;

/** Thrown when the plugin cannot serve now (paused, failed, busy or not loaded). */
public class PluginUnavailableException extends PluginException {

    public PluginUnavailableException(String message) {
        super(message);
    }

    public PluginUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public PluginUnavailableException(String pluginId, String message, Throwable cause) {
        super(pluginId, message, cause);
    }

    @Override
    public String errorType() {
        return "unavailable";
    }
}
