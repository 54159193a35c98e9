package io.apexagent.host.plugin;

import io.apexagent.plugin.PluginException;

/** No plugin with this id (or no version matching the request) is known to this replica. */
public class PluginNotFoundException extends PluginException {

    public PluginNotFoundException(String pluginId, String message) {
        super(pluginId, message, null);
    }

    @Override
    public String errorType() {
        return "plugin_not_found";
    }
}
