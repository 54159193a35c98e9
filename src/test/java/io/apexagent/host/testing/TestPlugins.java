package io.apexagent.host.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.apexagent.host.plugin.discovery.PluginManifest;

/**
 * Writes test plugin folders (manifest.json + code + lib/) from a fluent description, as source plugins
 * ({@code .java} main module) or pre-compiled jar plugins. Example:
 *
 * <pre>{@code
 * WrittenPlugin echo = TestPlugins.plugin("echo")
 *         .version("1.0.0")
 *         .action("echo")
 *         .javaSource("test.echo.EchoPlugin", source)   // or .javaSourcesFrom("echo") for src/test/resources/test-plugins/echo/
 *         .permissions("event_publish")
 *         .writeTo(tempDir);                            // tempDir/echo/{manifest.json, EchoPlugin.java}
 * PluginManifest manifest = echo.manifest();
 * WrittenPlugin jarred = TestPlugins.plugin("echo").javaSource(...).buildJar().writeTo(tempDir); // main_module echo.jar
 * }</pre>
 *
 * The manifest is valid by default (snake_case seed schema); {@link Builder#manifestField} or
 * {@link Builder#rawManifest} make it anything else, for parser and hostile-plugin tests.
 * Builders are not thread-safe; use one per test.
 */
public final class TestPlugins {

    static final ObjectMapper JSON = new ObjectMapper();

    private TestPlugins() {
    }

    /** @return a builder for a plugin with this id: version 1.0.0, no actions, no permissions */
    public static Builder plugin(String id) {
        return new Builder(id);
    }

    /**
     * A plugin folder written to disk.
     *
     * @param directory    the plugin folder
     * @param manifestJson the manifest.json text written
     */
    public record WrittenPlugin(Path directory, String manifestJson) {

        /** @return the manifest as the record the host uses (built directly, no schema check) */
        public PluginManifest manifest() {
            return TestManifests.toRecord(directory, manifestJson);
        }
    }

    /** A fluent description of one test plugin. */
    public static final class Builder {
        private final Map<String, Object> manifest = new LinkedHashMap<>();
        private final List<Map<String, Object>> actions = new ArrayList<>();
        private final Map<String, Object> libraries = new LinkedHashMap<>();
        private final Map<String, Object> pluginDependencies = new LinkedHashMap<>();
        private final Map<String, String> sources = new LinkedHashMap<>();
        private final Map<String, byte[]> files = new LinkedHashMap<>();
        private final Map<String, Object> overrides = new LinkedHashMap<>();
        private final List<Path> libJars = new ArrayList<>();
        private String rawManifest;
        private boolean asJar;

        private Builder(String id) {
            manifest.put("id", id);
            manifest.put("name", id);
            manifest.put("version", "1.0.0");
            manifest.put("description", "Test plugin " + id);
            manifest.put("main_module", null);
            manifest.put("class_name", null);
            manifest.put("author", "ApexAgent tests");
            manifest.put("license", "Apache-2.0");
            manifest.put("website", "https://example.org/" + id);
            manifest.put("dependencies", Map.of("plugins", pluginDependencies, "libraries", libraries));
            manifest.put("permissions", new ArrayList<String>());
            manifest.put("default_enabled", true);
            manifest.put("actions", actions);
        }

        public Builder version(String version) {
            manifest.put("version", version);
            return this;
        }

        /** @param className the class implementing BasePlugin; defaults to the first {@link #javaSource} */
        public Builder className(String className) {
            manifest.put("class_name", className);
            return this;
        }

        /** Declares a non-streaming action with open object schemas. */
        public Builder action(String name) {
            return action(name, false);
        }

        /** Declares an action with open object schemas. */
        public Builder action(String name, boolean streaming) {
            actions.add(new LinkedHashMap<>(Map.of("name", name, "description", "Test action " + name,
                    "parameters_schema", Map.of("type", "object"), "returns_schema", Map.of(),
                    "streaming_supported", streaming)));
            return this;
        }

        @SuppressWarnings("unchecked")
        public Builder permissions(String... permissions) {
            ((List<String>) manifest.get("permissions")).addAll(List.of(permissions));
            return this;
        }

        /** Requires a library of {@code lib/} in an npm-style range, e.g. {@code ("semver4j", "^5.0.0")}. */
        public Builder library(String name, String range) {
            libraries.put(name, range);
            return this;
        }

        /** Depends on another plugin in an npm-style range. */
        public Builder dependsOn(String pluginId, String range) {
            pluginDependencies.put(pluginId, range);
            return this;
        }

        /** Adds a Java source; the first one names class_name unless {@link #className} says otherwise. */
        public Builder javaSource(String className, String source) {
            sources.put(className, source);
            manifest.putIfAbsent("class_name", null);
            if (manifest.get("class_name") == null) {
                manifest.put("class_name", className);
            }
            return this;
        }

        /** Adds every {@code .java} file of {@code src/test/resources/test-plugins/<name>/} (class name from its path). */
        public Builder javaSourcesFrom(String name) {
            Path root = resourceFolder("test-plugins/" + name);
            try (var walk = Files.walk(root)) {
                for (Path f : walk.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList())) {
                    String rel = root.relativize(f).toString().replace('\\', '/');
                    javaSource(rel.substring(0, rel.length() - ".java".length()).replace('/', '.'), Files.readString(f));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + root, e);
            }
            return this;
        }

        /** Copies a jar into {@code lib/} under its own file name. */
        public Builder libJar(Path jar) {
            libJars.add(jar);
            return this;
        }

        /** Adds any file to the plugin folder, e.g. {@code ("resources/prompt.txt", "...")}. */
        public Builder file(String relativePath, String content) {
            files.put(relativePath, content.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** Sets or overrides any top-level manifest field (null removes it), e.g. {@code ("isolation", "process")}. */
        public Builder manifestField(String key, Object value) {
            overrides.put(key, value);
            return this;
        }

        /** Writes this text as manifest.json verbatim, ignoring every manifest setting of the builder. */
        public Builder rawManifest(String json) {
            this.rawManifest = json;
            return this;
        }

        /** Ships the sources pre-compiled (against the test class path) as {@code <id>.jar} instead of {@code .java}. */
        public Builder buildJar() {
            this.asJar = true;
            return this;
        }

        /**
         * Writes the plugin folder {@code <parent>/<id>/}.
         *
         * @return the folder and its manifest
         */
        public WrittenPlugin writeTo(Path parent) {
            String id = (String) manifest.get("id");
            Path dir = parent.resolve(id);
            try {
                Files.createDirectories(dir);
                List<Path> libs = copyLibJars(dir);
                manifest.put("main_module", asJar ? writeJar(dir, id, libs) : writeSources(dir));
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    Path target = dir.resolve(f.getKey());
                    Files.createDirectories(target.getParent());
                    Files.write(target, f.getValue());
                }
                String json = rawManifest != null ? rawManifest : manifestJson();
                Files.writeString(dir.resolve("manifest.json"), json);
                return new WrittenPlugin(dir, json);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write test plugin " + id + " to " + dir, e);
            }
        }

        private List<Path> copyLibJars(Path dir) throws IOException {
            List<Path> copies = new ArrayList<>();
            if (!libJars.isEmpty()) {
                Files.createDirectories(dir.resolve("lib"));
            }
            for (Path jar : libJars) {
                copies.add(Files.copy(jar, dir.resolve("lib").resolve(jar.getFileName())));
            }
            return copies;
        }

        private String writeJar(Path dir, String id, List<Path> libs) {
            TestJars.writeJar(dir.resolve(id + ".jar"), TestJars.compile(sources, libs));
            return id + ".jar";
        }

        /** Sources go flat into the plugin folder ({@code <SimpleName>.java}); javac ignores the layout. */
        private String writeSources(Path dir) throws IOException {
            for (Map.Entry<String, String> s : sources.entrySet()) {
                Files.writeString(dir.resolve(simpleName(s.getKey()) + ".java"), s.getValue());
            }
            Object className = manifest.get("class_name");
            return className == null ? "Plugin.java" : simpleName(className.toString()) + ".java";
        }

        private String manifestJson() throws JsonProcessingException {
            Map<String, Object> m = new LinkedHashMap<>(manifest);
            overrides.forEach((k, v) -> {
                if (v == null) {
                    m.remove(k);
                } else {
                    m.put(k, v);
                }
            });
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m);
        }

        private static String simpleName(String className) {
            return className.substring(className.lastIndexOf('.') + 1);
        }

        private static Path resourceFolder(String name) {
            URL url = TestPlugins.class.getClassLoader().getResource(name);
            if (url == null) {
                throw new IllegalArgumentException("no test resource folder " + name + " (src/test/resources/" + name + ")");
            }
            try {
                return Path.of(url.toURI());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("bad resource URL " + url, e);
            }
        }
    }
}
