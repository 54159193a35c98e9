package io.apexagent.host.plugin.runtime;

import io.apexagent.plugin.PluginUnavailableException;

/**
 * A plugin's workers and their queue are full, so a new call was refused: a state that passes, unlike paused,
 * failed or stopping, so a caller that can wait (the Kafka path) retries the call; REST answers 503.
 */
public final class PluginBusyException extends PluginUnavailableException {

    public PluginBusyException(String pluginId, String message, Throwable cause) {
        super(pluginId, message, cause);
    }
}
