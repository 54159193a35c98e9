package io.apexagent.host.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.apexagent.plugin.PluginStateException;

/** JSON (Jackson) form of plugin state, with the size limit applied to it. Stateless and thread-safe. */
public final class StateCodec {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ObjectMapper json;

    public StateCodec(ObjectMapper json) {
        // Sorted keys: equal state gives equal bytes (and an equal size).
        this.json = json.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    }

    /**
     * @param pluginId for messages
     * @param state    a JSON-compatible map
     * @param maxBytes the plugin's limit
     * @return the JSON text
     * @throws PluginStateException when the state is not JSON-compatible or larger than {@code maxBytes}
     */
    public String encode(String pluginId, Map<String, Object> state, int maxBytes) {
        if (state == null) {
            throw new PluginStateException(pluginId, "plugin " + pluginId + " returned null from snapshotState(); "
                    + "return an empty map for no state", null);
        }
        String text;
        try {
            text = json.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new PluginStateException(pluginId, "state of plugin " + pluginId + " is not JSON-compatible ("
                    + e.getOriginalMessage() + "); use maps, lists, strings, numbers and booleans", e);
        }
        int size = sizeOf(text);
        if (size > maxBytes) {
            throw new PluginStateException(pluginId, "state of plugin " + pluginId + " is " + size
                    + " bytes, over its limit of " + maxBytes + " bytes; keep less state or raise "
                    + "apex.state.max-bytes-per-plugin.\"" + pluginId + "\"", null);
        }
        return text;
    }

    /** @return the state map of a JSON text written by {@link #encode} */
    public Map<String, Object> decode(String pluginId, String text) {
        try {
            return json.readValue(text, MAP);
        } catch (IOException e) {
            throw new PluginStateException(pluginId, "stored state of plugin " + pluginId + " is not valid JSON: "
                    + e.getMessage(), e);
        }
    }

    /** @return the UTF-8 size of a JSON text in bytes */
    public static int sizeOf(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
