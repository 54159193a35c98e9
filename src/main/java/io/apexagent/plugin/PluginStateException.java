package io.apexagent.plugin;

/** Thrown when plugin state could not be saved, restored or migrated. */
public class PluginStateException extends PluginException {

    public PluginStateException(String message) {
        super(message);
    }

    public PluginStateException(String message, Throwable cause) {
        super(message, cause);
    }

    public PluginStateException(String pluginId, String message, Throwable cause) {
        super(pluginId, message, cause);
    }

    @Override
    public String errorType() {
        return "state";
    }
}
