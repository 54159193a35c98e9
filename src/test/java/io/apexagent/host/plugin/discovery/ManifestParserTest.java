package io.apexagent.host.plugin.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.apexagent.plugin.PluginConfigurationException;

class ManifestParserTest {

    private static final ManifestParser PARSER = new ManifestParser();

    @TempDir
    Path tmp;

    static Stream<Arguments> brokenManifests() {
        return Stream.of(
                broken("missing required field", m -> m.remove("class_name"),
                        "/class_name", "required property 'class_name' is missing", "expected a fully qualified Java class name"),
                broken("wrong type", m -> m.put("default_enabled", "yes"),
                        "/default_enabled", "is a string (\"yes\")", "expected a boolean"),
                broken("unknown permission", m -> m.withArray("permissions").add("root_access"),
                        "/permissions/1", "\"root_access\" is not allowed", "expected a permission name: one of file_system_read"),
                broken("malformed version", m -> m.put("version", "1.0"),
                        "/version", "'1.0' is not a semantic version", "expected MAJOR.MINOR.PATCH"),
                broken("malformed range", m -> m.putObject("dependencies").putObject("plugins").put("other", "^^1"),
                        "/dependencies/plugins/other", "'^^1' is not a semver range", "expected an npm-style semver range"),
                broken("range with an unreadable alternative",
                        m -> m.putObject("dependencies").putObject("libraries").put("gson", "^2.10.0 || two"),
                        "/dependencies/libraries/gson", "is not a semver range", "expected an npm-style semver range"),
                broken("dependency of the wrong shape", m -> m.putObject("dependencies").putObject("plugins").put("other", 3),
                        "/dependencies/plugins/other", "matches none of the allowed forms", "expected a semver range string or an object"),
                broken("duplicate action", m -> m.withArray("actions").addObject().put("name", "echo"),
                        "/actions/1/name", "duplicate action name 'echo' (also at /actions/0/name)", "expected action names unique"),
                broken("bad parameters_schema",
                        m -> ((ObjectNode) m.get("actions").get(0)).putObject("parameters_schema").put("type", "strin"),
                        "/actions/0/parameters_schema/type", "is not a valid JSON Schema", "expected a JSON Schema (draft 2020-12)"),
                broken("parameters_schema not a schema at all", m -> ((ObjectNode) m.get("actions").get(0)).put("parameters_schema", 7),
                        "/actions/0/parameters_schema", "is a number (7)", "expected a JSON Schema (object or boolean)"),
                broken("missing main module", m -> m.put("main_module", "missing.jar"),
                        "/main_module", "missing.jar does not exist", "expected the main module file inside"),
                broken("main module outside the folder", m -> m.put("main_module", "../plugin.jar"),
                        "/main_module", "points outside the plugin folder", "expected a relative path inside"),
                broken("main module of an unknown kind", m -> m.put("main_module", "plugin.exe"),
                        "/main_module", "does not match the regex pattern", "expected a relative path inside the plugin folder ending with .jar, .java or .py"),
                broken("bad class name", m -> m.put("class_name", "com.example.1Plugin"),
                        "/class_name", "'com.example.1Plugin' is not a fully qualified Java class name", "expected dot-separated Java identifiers"),
                broken("unknown field", m -> m.put("permision", "x"),
                        "/permision", "unknown property 'permision'", "expected only known properties: $schema, id, name"),
                broken("unknown field in an action", m -> ((ObjectNode) m.get("actions").get(0)).put("streaming", true),
                        "/actions/0/streaming", "unknown property 'streaming'", "streaming_supported"),
                broken("bad id", m -> m.put("id", "Text Tools"),
                        "/id", "does not match the regex pattern", "expected a lowercase plugin id"),
                broken("state schema version zero", m -> m.put("state_schema_version", 0),
                        "/state_schema_version", "minimum value of 1", "expected an integer >= 1"),
                broken("unknown isolation", m -> m.put("isolation", "container"),
                        "/isolation", "\"container\" is not allowed", "expected one of classloader"),
                broken("self dependency", m -> m.putObject("dependencies").putObject("plugins").put("text-tools", "^1.0.0"),
                        "/dependencies/plugins/text-tools", "cannot depend on itself", "expected only other plugins"));
    }

    private static Arguments broken(String name, Consumer<ObjectNode> edit, String pointer, String wrong, String expected) {
        return Arguments.of(name, edit, pointer, wrong, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenManifests")
    void reportsFilePointerAndExpectation(String name, Consumer<ObjectNode> edit, String pointer, String wrong,
            String expected) {
        Path dir = TestManifests.write(tmp.resolve("text-tools"), "text-tools", "1.2.0", edit);
        Path file = dir.resolve("manifest.json");

        ManifestValidationException e = catchThrowableOfType(ManifestValidationException.class, () -> PARSER.parse(dir));

        assertThat(e).as(name).isInstanceOf(PluginConfigurationException.class);
        assertThat(e.problems()).as(name).anySatisfy(problem -> {
            assertThat(problem.file()).isEqualTo(file);
            assertThat(problem.pointer()).isEqualTo(pointer);
            assertThat(problem.message()).contains(wrong).contains(expected);
        });
        assertThat(e.getMessage()).contains(file + ": " + pointer + ": ").contains(wrong).contains(expected);
    }

    @Test
    void malformedJsonNamesFileLineAndColumn() {
        Path dir = TestManifests.writeRaw(tmp.resolve("bad"), "{\n  \"id\": \"bad\",\n  \"name\" \"x\"\n}");

        ManifestValidationException e = catchThrowableOfType(ManifestValidationException.class, () -> PARSER.parse(dir));

        assertThat(e.getMessage()).contains(dir.resolve("manifest.json") + ": (root): malformed JSON at line 3, column 10")
                .contains("expected a well-formed JSON object");
        assertThat(e.getCause()).isNotNull();
    }

    @Test
    void duplicateKeysAreMalformed() {
        Path dir = TestManifests.writeRaw(tmp.resolve("dup"), "{\"id\": \"a\", \"id\": \"b\"}");

        assertThat(catchThrowableOfType(ManifestValidationException.class, () -> PARSER.parse(dir)).getMessage())
                .contains("malformed JSON at line 1").contains("Duplicate field 'id'");
    }

    @Test
    void missingManifestIsReported() {
        ManifestValidationException e = catchThrowableOfType(ManifestValidationException.class,
                () -> PARSER.parse(tmp.resolve("nothing")));

        assertThat(e.getMessage()).contains("nothing/manifest.json: (root): file not found; expected a manifest.json");
    }

    @Test
    void collectsEveryProblemNotOnlyTheFirst() {
        Path dir = TestManifests.write(tmp.resolve("many"), "many", "one", m -> {
            m.remove("name");
            m.put("colour", "red");
            m.withArray("permissions").add("root_access");
            m.put("class_name", "not a class");
        });

        ManifestValidationException e = catchThrowableOfType(ManifestValidationException.class, () -> PARSER.parse(dir));

        assertThat(e.problems()).extracting(ManifestProblem::pointer)
                .containsExactly("/class_name", "/colour", "/name", "/permissions/1", "/version");
        assertThat(e.getMessage()).contains("(5 problems)");
        assertThat(e.pluginId()).isEqualTo("many");
    }

    @Test
    void parsesAFullManifestWithDefaults() throws Exception {
        Path dir = TestManifests.write(tmp.resolve("full"), "full", "2.1.0-beta.1", m -> {
            ObjectNode plugins = m.putObject("dependencies").putObject("plugins");
            plugins.put("base", "^1.0.0");
            plugins.putObject("extras").put("version", "~2.1").put("optional", true);
            m.putObject("limits").put("timeout_ms", 5000).put("max_concurrency", 4);
            m.putObject("events").putArray("publishes").add("full.done");
            m.put("state_schema_version", 3);
            m.put("default_enabled", true);
        });

        PluginManifest manifest = PARSER.parse(dir);

        assertThat(manifest.id()).isEqualTo("full");
        assertThat(manifest.version()).isEqualTo("2.1.0-beta.1");
        assertThat(manifest.directory()).isEqualTo(dir);
        assertThat(manifest.dependencies().plugins()).containsOnlyKeys("base", "extras");
        assertThat(manifest.dependencies().plugins().get("base"))
                .isEqualTo(new PluginManifest.PluginDependency("base", "^1.0.0", false));
        assertThat(manifest.dependencies().plugins().get("extras").optional()).isTrue();
        assertThat(manifest.permissions()).containsExactly("state_access");
        assertThat(manifest.isolation()).isEqualTo("classloader");
        assertThat(manifest.limits()).isEqualTo(new PluginManifest.Limits(5000, 4, 0, 0, 0, 0));
        assertThat(manifest.stateSchemaVersion()).isEqualTo(3);
        assertThat(manifest.events().publishes()).containsExactly("full.done");
        assertThat(manifest.defaultEnabled()).isTrue();
        assertThat(manifest.action("echo")).hasValueSatisfying(a -> {
            assertThat(a.parametersSchema().path("type").asText()).isEqualTo("object");
            assertThat(a.returnsSchema().isObject()).isTrue();
        });
        assertThat(Files.exists(manifest.manifestFile())).isTrue();
    }

    @Test
    void pythonPluginsRunOutOfProcessAndMayHaveEmptyActions() throws Exception {
        Path dir = TestManifests.write(tmp.resolve("py"), "py", "0.1.0", m -> {
            m.put("main_module", "main.py");
            m.put("class_name", "main.Plugin");
            m.putArray("actions");
        });
        Files.writeString(dir.resolve("main.py"), "class Plugin: pass\n");

        PluginManifest manifest = PARSER.parse(dir);

        assertThat(manifest.isolation()).isEqualTo("process");
        assertThat(manifest.actions()).isEmpty();
        assertThat(manifest.stateSchemaVersion()).isEqualTo(1);
        assertThat(manifest.limits()).isEqualTo(PluginManifest.Limits.DEFAULTS);
    }
}
