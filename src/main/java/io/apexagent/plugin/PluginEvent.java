package io.apexagent.plugin;

import java.time.Instant;
import java.util.Map;

/**
 * A custom event between plugins.
 *
 * @param id             unique event id
 * @param type           event type, e.g. {@code "weather.updated"}
 * @param sourcePluginId the plugin that published it
 * @param time           when it was published
 * @param data           JSON-compatible payload
 */
public record PluginEvent(String id, String type, String sourcePluginId, Instant time, Map<String, Object> data) {

    public PluginEvent {
        data = data == null ? Map.of() : data;
    }
}
