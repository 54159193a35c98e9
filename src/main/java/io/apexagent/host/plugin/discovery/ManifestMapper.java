package io.apexagent.host.plugin.discovery;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** Maps a manifest document that passed every check to a {@link PluginManifest}, filling in defaults. */
final class ManifestMapper {

    private ManifestMapper() {
    }

    static PluginManifest toManifest(Path directory, JsonNode json) {
        String mainModule = json.path("main_module").asText();
        String defaultIsolation = mainModule.endsWith(".py") ? "process" : "classloader";
        return new PluginManifest(
                directory,
                json.path("id").asText(),
                json.path("name").asText(),
                json.path("version").asText(),
                json.path("description").asText(""),
                mainModule,
                json.path("class_name").asText(),
                json.path("author").asText(""),
                json.path("license").asText(""),
                json.path("website").asText(""),
                dependencies(json.path("dependencies")),
                strings(json.path("permissions")),
                json.path("default_enabled").asBoolean(false),
                actions(json.path("actions")),
                json.path("isolation").asText(defaultIsolation),
                limits(json.path("limits")),
                json.path("state_schema_version").asInt(1),
                events(json.path("events")));
    }

    private static PluginManifest.Dependencies dependencies(JsonNode json) {
        if (json.isMissingNode()) {
            return PluginManifest.Dependencies.NONE;
        }
        Map<String, PluginManifest.PluginDependency> plugins = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.path("plugins").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode value = entry.getValue();
            plugins.put(entry.getKey(), value.isTextual()
                    ? new PluginManifest.PluginDependency(entry.getKey(), value.asText(), false)
                    : new PluginManifest.PluginDependency(entry.getKey(), value.path("version").asText(),
                            value.path("optional").asBoolean(false)));
        }
        Map<String, String> libraries = new LinkedHashMap<>();
        json.path("libraries").fields().forEachRemaining(e -> libraries.put(e.getKey(), e.getValue().asText()));
        return new PluginManifest.Dependencies(Collections.unmodifiableMap(plugins),
                Collections.unmodifiableMap(libraries));
    }

    private static List<PluginManifest.Action> actions(JsonNode json) {
        List<PluginManifest.Action> actions = new ArrayList<>();
        for (JsonNode action : json) {
            actions.add(new PluginManifest.Action(
                    action.path("name").asText(),
                    action.path("description").asText(""),
                    schemaOrEmpty(action.path("parameters_schema")),
                    schemaOrEmpty(action.path("returns_schema")),
                    action.path("streaming_supported").asBoolean(false)));
        }
        return List.copyOf(actions);
    }

    /** An absent action schema means "anything": the empty schema {@code {}}. */
    private static JsonNode schemaOrEmpty(JsonNode schema) {
        return schema.isMissingNode() ? JsonNodeFactory.instance.objectNode() : schema.deepCopy();
    }

    private static PluginManifest.Limits limits(JsonNode json) {
        if (json.isMissingNode()) {
            return PluginManifest.Limits.DEFAULTS;
        }
        return new PluginManifest.Limits(json.path("timeout_ms").asLong(0), json.path("max_concurrency").asInt(0),
                json.path("cpu_ms").asLong(0), json.path("alloc_mb").asLong(0), json.path("memory_mb").asLong(0),
                json.path("transient_attempts").asInt(0));
    }

    private static PluginManifest.Events events(JsonNode json) {
        if (json.isMissingNode()) {
            return PluginManifest.Events.NONE;
        }
        return new PluginManifest.Events(strings(json.path("publishes")), strings(json.path("subscribes")));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return List.copyOf(values);
    }
}
