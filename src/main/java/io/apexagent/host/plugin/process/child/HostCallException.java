package io.apexagent.host.plugin.process.child;

import io.apexagent.plugin.PluginException;

/** A context-service call the host refused for a reason without an SDK exception of its own; keeps its type. */
final class HostCallException extends PluginException {

    private final String type;

    HostCallException(String pluginId, String type, String message) {
        super(pluginId, message + " [" + type + "]", null);
        this.type = type;
    }

    @Override
    public String errorType() {
        return type;
    }
}
