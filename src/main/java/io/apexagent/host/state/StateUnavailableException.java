package io.apexagent.host.state;

import io.apexagent.plugin.PluginStateException;

/**
 * A state operation failed because PostgreSQL or Vault could not be reached or answered with an error of
 * its own; saves that fail this way are kept in memory and retried.
 */
public class StateUnavailableException extends PluginStateException {

    public StateUnavailableException(String pluginId, String message, Throwable cause) {
        super(pluginId, message, cause);
    }

    @Override
    public String errorType() {
        return "state_unavailable";
    }
}
