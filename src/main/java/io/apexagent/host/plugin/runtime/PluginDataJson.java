package io.apexagent.host.plugin.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.apexagent.plugin.PluginExecutionException;

/**
 * Writes what carries a plugin's data (an action's result, a stream chunk, a result record) as JSON text. A Java
 * plugin's action may return any object; one that Jackson cannot write (a getter that throws, a cycle) is the plugin's
 * bug. Written here, before anything is sent, it is reported as the plugin's execution error, instead of a cut HTTP
 * response or a Kafka request whose handling fails and runs again.
 */
public final class PluginDataJson {

    private PluginDataJson() {
    }

    /**
     * @param what what is written, for the error message, e.g. "the result"
     * @return {@code value} as JSON text
     * @throws PluginExecutionException if the plugin's data in {@code value} cannot be written as JSON
     */
    public static String write(ObjectMapper json, Object value, String pluginId, String action, String what) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new PluginExecutionException(pluginId, what + " cannot be written, because action " + action
                    + " of plugin " + pluginId + " returned data that is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
