package io.apexagent.host.plugin.process.child;

import java.util.Map;

import io.apexagent.plugin.PluginException;

/** A context-service call the host refused for a reason without an SDK exception of its own; keeps its type. */
final class HostCallException extends PluginException {

    private final String type;
    private final Map<?, ?> error;

    /** @param error the reply's whole {@code error} object (type, message, and what else the service told) */
    HostCallException(String pluginId, String type, String message, Map<?, ?> error) {
        super(pluginId, message + " [" + type + "]", null);
        this.type = type;
        this.error = error;
    }

    /** @return a number the host told with the error (e.g. a file's {@code size}), or -1 */
    long number(String field) {
        return error.get(field) instanceof Number n ? n.longValue() : -1;
    }

    @Override
    public String errorType() {
        return type;
    }
}
