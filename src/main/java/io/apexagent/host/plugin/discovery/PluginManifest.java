package io.apexagent.host.plugin.discovery;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A validated {@code manifest.json} (schema: {@code src/main/resources/schema/plugin-manifest.schema.json}).
 * Immutable; built only by the manifest parser after the schema check passed.
 *
 * @param directory          the plugin folder (holds manifest.json, main module, lib/, resources/)
 * @param id                 unique id, {@code [a-z0-9][a-z0-9._-]*}
 * @param name               display name
 * @param version            semantic version, e.g. {@code 1.4.0}
 * @param description        what the plugin does
 * @param mainModule         path of the main module inside {@code directory}: {@code .jar}, {@code .java} or {@code .py}
 * @param className          fully qualified class implementing {@code BasePlugin}
 * @param author             may be empty
 * @param license            may be empty
 * @param website            may be empty
 * @param dependencies       other plugins and libraries this one needs
 * @param permissions        declared permission names (validated against the closed vocabulary)
 * @param defaultEnabled     whether it starts without an operator's command
 * @param actions            the actions it serves
 * @param isolation          {@code classloader} (default) or {@code process}
 * @param limits             resource limits, defaults when absent
 * @param stateSchemaVersion version of its state layout, 1 when absent
 * @param events             event types it publishes and subscribes to
 */
public record PluginManifest(
        Path directory,
        String id,
        String name,
        String version,
        String description,
        String mainModule,
        String className,
        String author,
        String license,
        String website,
        Dependencies dependencies,
        List<String> permissions,
        boolean defaultEnabled,
        List<Action> actions,
        String isolation,
        Limits limits,
        int stateSchemaVersion,
        Events events) {

    /** @return the manifest file this was read from */
    public Path manifestFile() {
        return directory.resolve("manifest.json");
    }

    /** @return the action with this name, if declared */
    public Optional<Action> action(String actionName) {
        return actions.stream().filter(a -> a.name().equals(actionName)).findFirst();
    }

    /**
     * Dependencies.
     *
     * @param plugins   plugin id → dependency (semver range, optional flag)
     * @param libraries library name → semver range, checked against the jars in {@code lib/}
     */
    public record Dependencies(Map<String, PluginDependency> plugins, Map<String, String> libraries) {
        public static final Dependencies NONE = new Dependencies(Map.of(), Map.of());
    }

    /**
     * A dependency on another plugin.
     *
     * @param pluginId the plugin needed
     * @param range    semver range (npm style, e.g. {@code ^1.2.0}, {@code >=1.0.0 <2.0.0})
     * @param optional whether this plugin works without it
     */
    public record PluginDependency(String pluginId, String range, boolean optional) {
    }

    /**
     * One declared action.
     *
     * @param name               unique within the plugin
     * @param description        what it does
     * @param parametersSchema   JSON Schema of the parameters (an empty object schema when absent)
     * @param returnsSchema      JSON Schema of the result (empty when absent)
     * @param streamingSupported whether it streams chunks
     */
    public record Action(String name, String description, JsonNode parametersSchema, JsonNode returnsSchema,
            boolean streamingSupported) {
    }

    /**
     * Resource limits; zero means "host default".
     *
     * @param timeoutMs      per-action time limit
     * @param maxConcurrency per-plugin concurrent actions
     * @param cpuMs          per-action CPU-time budget
     * @param allocMb        per-action allocation budget
     * @param memoryMb       heap of an out-of-process plugin
     * @param transientAttempts attempts in all of a call failing with {@code PluginTransientException}
     *                          (1 = no retry)
     */
    public record Limits(long timeoutMs, int maxConcurrency, long cpuMs, long allocMb, long memoryMb,
            int transientAttempts) {
        public static final Limits DEFAULTS = new Limits(0, 0, 0, 0, 0, 0);
    }

    /**
     * Declared events.
     *
     * @param publishes  event types it publishes
     * @param subscribes event types it subscribes to
     */
    public record Events(List<String> publishes, List<String> subscribes) {
        public static final Events NONE = new Events(List.of(), List.of());
    }
}
