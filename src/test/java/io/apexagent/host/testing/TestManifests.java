package io.apexagent.host.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.apexagent.host.plugin.discovery.PluginManifest;

/**
 * Builds {@link PluginManifest} records straight from manifest JSON for tests, without the schema check
 * of the real parser: absent optional fields get the parser's documented defaults. Thread-safe.
 */
public final class TestManifests {

    private TestManifests() {
    }

    /**
     * @param directory the plugin folder
     * @param json      manifest.json text (snake_case seed schema)
     * @return the record
     */
    public static PluginManifest toRecord(Path directory, String json) {
        JsonNode m;
        try {
            m = TestPlugins.JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("test manifest is not JSON: " + json, e);
        }
        JsonNode deps = m.path("dependencies");
        Map<String, PluginManifest.PluginDependency> plugins = new LinkedHashMap<>();
        deps.path("plugins").fields().forEachRemaining(e -> plugins.put(e.getKey(), pluginDependency(e.getKey(),
                e.getValue())));
        Map<String, String> libraries = new LinkedHashMap<>();
        deps.path("libraries").fields().forEachRemaining(e -> libraries.put(e.getKey(), e.getValue().asText()));
        JsonNode limits = m.path("limits");
        JsonNode events = m.path("events");
        return new PluginManifest(directory, text(m, "id"), text(m, "name"), text(m, "version"),
                text(m, "description"), text(m, "main_module"), text(m, "class_name"), text(m, "author"),
                text(m, "license"), text(m, "website"), new PluginManifest.Dependencies(plugins, libraries),
                strings(m.path("permissions")), m.path("default_enabled").asBoolean(false), actions(m.path("actions")),
                m.path("isolation").asText("classloader"),
                new PluginManifest.Limits(limits.path("timeout_ms").asLong(0), limits.path("max_concurrency").asInt(0),
                        limits.path("cpu_ms").asLong(0), limits.path("alloc_mb").asLong(0),
                        limits.path("memory_mb").asLong(0), limits.path("transient_attempts").asInt(0)),
                m.path("state_schema_version").asInt(1),
                new PluginManifest.Events(strings(events.path("publishes")), strings(events.path("subscribes"))));
    }

    private static PluginManifest.PluginDependency pluginDependency(String id, JsonNode value) {
        if (value.isTextual()) {
            return new PluginManifest.PluginDependency(id, value.asText(), false);
        }
        return new PluginManifest.PluginDependency(id, value.path("version").asText(value.path("range").asText("*")),
                value.path("optional").asBoolean(false));
    }

    private static List<PluginManifest.Action> actions(JsonNode actions) {
        List<PluginManifest.Action> out = new ArrayList<>();
        for (JsonNode a : actions) {
            out.add(new PluginManifest.Action(text(a, "name"), text(a, "description"),
                    schema(a.get("parameters_schema")), schema(a.get("returns_schema")),
                    a.path("streaming_supported").asBoolean(false)));
        }
        return out;
    }

    private static JsonNode schema(JsonNode node) {
        return node == null || node.isNull() ? JsonNodeFactory.instance.objectNode() : node;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
