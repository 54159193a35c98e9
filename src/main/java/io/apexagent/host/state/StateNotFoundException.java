package io.apexagent.host.state;

import io.apexagent.plugin.PluginStateException;

/** No state is stored for the plugin. */
public class StateNotFoundException extends PluginStateException {

    public StateNotFoundException(String pluginId) {
        super(pluginId, "no state is stored for plugin " + pluginId, null);
    }

    @Override
    public String errorType() {
        return "state_not_found";
    }
}
