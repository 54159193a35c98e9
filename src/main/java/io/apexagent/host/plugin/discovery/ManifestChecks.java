package io.apexagent.host.plugin.discovery;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import javax.lang.model.SourceVersion;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The manifest checks a JSON Schema cannot express: semver versions and ranges, unique action names, action
 * schemas that are themselves JSON Schemas, the main module's file and the class name. Each check looks only at
 * values of the right JSON type, so a value the schema already refused is not reported twice.
 */
final class ManifestChecks {

    private static final String RANGE_EXAMPLES =
            "an npm-style semver range such as ^1.2.0, ~1.2, >=1.0.0 <2.0.0, 1.x, 1.0.0 - 2.0.0 or ^1 || ^2";

    private final ManifestSchema schema;

    ManifestChecks(ManifestSchema schema) {
        this.schema = schema;
    }

    /** @return every problem found in {@code manifest}, read from {@code directory}'s {@code file} */
    List<ManifestProblem> check(Path directory, Path file, JsonNode manifest) {
        List<ManifestProblem> problems = new ArrayList<>();
        checkVersion(file, manifest.path("version"), problems);
        checkDependencies(file, manifest, problems);
        checkActions(file, manifest.path("actions"), problems);
        checkMainModule(directory, file, manifest, problems);
        return problems;
    }

    private static void checkVersion(Path file, JsonNode version, List<ManifestProblem> problems) {
        if (version.isTextual() && !version.asText().isEmpty() && !PluginVersions.isValid(version.asText())) {
            problems.add(ManifestProblem.of(file, "/version", "'" + version.asText() + "' is not a semantic version",
                    "MAJOR.MINOR.PATCH with optional -PRERELEASE and +BUILD, such as 1.4.0 or 2.0.0-beta.1"));
        }
    }

    private static void checkDependencies(Path file, JsonNode manifest, List<ManifestProblem> problems) {
        JsonNode plugins = manifest.path("dependencies").path("plugins");
        for (Iterator<Map.Entry<String, JsonNode>> it = plugins.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String pointer = "/dependencies/plugins/" + escape(entry.getKey());
            if (entry.getKey().equals(manifest.path("id").asText(null))) {
                problems.add(ManifestProblem.of(file, pointer, "a plugin cannot depend on itself",
                        "only other plugins' ids under dependencies.plugins"));
            }
            JsonNode value = entry.getValue();
            if (value.isObject()) {
                checkRange(file, pointer + "/version", value.path("version"), problems);
            } else {
                checkRange(file, pointer, value, problems);
            }
        }
        JsonNode libraries = manifest.path("dependencies").path("libraries");
        for (Iterator<Map.Entry<String, JsonNode>> it = libraries.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            checkRange(file, "/dependencies/libraries/" + escape(entry.getKey()), entry.getValue(), problems);
        }
    }

    private static void checkRange(Path file, String pointer, JsonNode range, List<ManifestProblem> problems) {
        if (range.isTextual() && !range.asText().isEmpty() && !PluginVersions.isValidRange(range.asText())) {
            problems.add(ManifestProblem.of(file, pointer, "'" + range.asText() + "' is not a semver range",
                    RANGE_EXAMPLES));
        }
    }

    private void checkActions(Path file, JsonNode actions, List<ManifestProblem> problems) {
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < actions.size(); i++) {
            JsonNode action = actions.path(i);
            JsonNode name = action.path("name");
            if (name.isTextual()) {
                Integer first = firstIndex.putIfAbsent(name.asText(), i);
                if (first != null) {
                    problems.add(ManifestProblem.of(file, "/actions/" + i + "/name",
                            "duplicate action name '" + name.asText() + "' (also at /actions/" + first + "/name)",
                            "action names unique within the plugin"));
                }
            }
            for (String key : List.of("parameters_schema", "returns_schema")) {
                JsonNode actionSchema = action.path(key);
                if (actionSchema.isObject() || actionSchema.isBoolean()) {
                    problems.addAll(schema.validateSchema(file, "/actions/" + i + "/" + key, actionSchema));
                }
            }
        }
    }

    private static void checkMainModule(Path directory, Path file, JsonNode manifest, List<ManifestProblem> problems) {
        JsonNode mainModule = manifest.path("main_module");
        String module = mainModule.asText("");
        if (mainModule.isTextual() && module.matches(".*\\.(jar|java|py)$")) {
            checkModuleFile(directory, file, module, problems);
        }
        boolean python = module.endsWith(".py");
        JsonNode className = manifest.path("class_name");
        if (!python && className.isTextual() && !className.asText().isEmpty()
                && !SourceVersion.isName(className.asText())) {
            problems.add(ManifestProblem.of(file, "/class_name",
                    "'" + className.asText() + "' is not a fully qualified Java class name",
                    "dot-separated Java identifiers that are not keywords, such as com.example.TextTools"));
        }
        if (python && "classloader".equals(manifest.path("isolation").asText())) {
            problems.add(ManifestProblem.of(file, "/isolation", "a .py main module cannot run inside the host JVM",
                    "\"process\" or no isolation property for a .py main module"));
        }
    }

    private static void checkModuleFile(Path directory, Path file, String module, List<ManifestProblem> problems) {
        Path root = directory.toAbsolutePath().normalize();
        Path modulePath;
        Path resolved;
        try {
            modulePath = Path.of(module);
            resolved = root.resolve(modulePath).normalize();
        } catch (InvalidPathException e) {
            problems.add(ManifestProblem.of(file, "/main_module", "'" + module + "' is not a valid path ("
                    + e.getReason() + ")", "a relative path inside " + root));
            return;
        }
        if (modulePath.isAbsolute() || !resolved.startsWith(root)) {
            problems.add(ManifestProblem.of(file, "/main_module", "'" + module + "' points outside the plugin folder",
                    "a relative path inside " + root));
        } else if (!Files.isRegularFile(resolved)) {
            problems.add(ManifestProblem.of(file, "/main_module", "file " + resolved + " does not exist",
                    "the main module file inside " + root));
        }
    }

    /** Escapes a property name for a JSON pointer (RFC 6901). */
    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
