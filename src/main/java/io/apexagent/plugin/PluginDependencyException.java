package io.apexagent.plugin;

/** Thrown when plugin dependencies are missing, cyclic or incompatible. */
public class PluginDependencyException extends PluginException {

    public PluginDependencyException(String message) {
        super(message);
    }

    public PluginDependencyException(String message, Throwable cause) {
        super(message, cause);
    }

    public PluginDependencyException(String pluginId, String message, Throwable cause) {
        super(pluginId, message, cause);
    }

    @Override
    public String errorType() {
        return "dependency";
    }
}
