package io.apexagent.host.plugin.loader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.semver4j.Semver;
import org.semver4j.SemverException;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.plugin.PluginDependencyException;

/**
 * Checks the jars in a plugin's {@code lib/} against its {@code dependencies.libraries} (npm-style semver
 * ranges). A jar's identity and version come from its {@code META-INF/maven/**}{@code /pom.properties},
 * else from its file name ({@code name-1.2.3.jar}). A library key matches a jar by artifactId,
 * {@code groupId:artifactId} or file-name stem. Stateless and thread-safe.
 */
public final class LibraryVersionChecker {

    private static final Pattern FILE_NAME = Pattern.compile("(.+?)-(\\d+(?:\\.\\d+)*(?:[-.+][0-9A-Za-z.+-]*)?)\\.jar");
    private static final String POM_PROPERTIES = "pom.properties";

    /**
     * Every problem at once, so an operator fixes a plugin in one go.
     *
     * @param jars     what was found in {@code lib/}
     * @param problems one sentence per missing, unversioned, duplicated or out-of-range library
     */
    public record Result(List<LibraryJar> jars, List<String> problems) {

        public Result {
            jars = List.copyOf(jars);
            problems = List.copyOf(problems);
        }

        /** @return whether every required library is present in a version within its range */
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * One library found in a jar (a shaded jar can hold several).
     *
     * @param jar     the jar file
     * @param groupId Maven groupId, empty when the version came from the file name
     * @param name    artifactId, or the file-name stem
     * @param version the version, or null when neither pom.properties nor the file name tell
     */
    public record LibraryJar(Path jar, String groupId, String name, String version) {

        boolean provides(String library) {
            return library.equals(name) || library.equals(groupId + ":" + name);
        }
    }

    /** @return what is in {@code lib/} and what is wrong with it, never throwing for a mismatch */
    public Result check(PluginManifest manifest) {
        List<LibraryJar> jars = new ArrayList<>();
        for (Path jar : PluginFolders.libJars(manifest.directory())) {
            jars.addAll(inspect(manifest, jar));
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> required : manifest.dependencies().libraries().entrySet()) {
            problem(manifest, jars, required.getKey(), required.getValue()).ifPresent(problems::add);
        }
        return new Result(jars, problems);
    }

    /**
     * @return the libraries found
     * @throws PluginDependencyException naming each jar, its found version and the required range
     */
    public Result requireSatisfied(PluginManifest manifest) {
        Result result = check(manifest);
        if (!result.ok()) {
            throw new PluginDependencyException(manifest.id(), "plugin " + manifest.id() + " has unusable libraries in "
                    + manifest.directory().resolve(PluginFolders.LIB) + ":\n  " + String.join("\n  ", result.problems())
                    + "\nput matching jars in lib/ or change dependencies.libraries in " + manifest.manifestFile(), null);
        }
        return result;
    }

    private static Optional<String> problem(PluginManifest manifest, List<LibraryJar> jars, String library,
            String range) {
        List<LibraryJar> candidates = jars.stream().filter(j -> j.provides(library)).collect(Collectors.toList());
        if (candidates.isEmpty()) {
            return Optional.of("library '" + library + "' (required " + range + ") is missing: no jar in lib/ "
                    + "provides it; add " + library + "-<version>.jar");
        }
        if (candidates.stream().map(LibraryJar::jar).distinct().count() > 1) {
            return Optional.of("library '" + library + "' is provided by several jars ("
                    + candidates.stream().map(j -> j.jar().getFileName().toString()).collect(Collectors.joining(", "))
                    + "); keep exactly one");
        }
        LibraryJar jar = candidates.get(0);
        String where = "lib/" + jar.jar().getFileName();
        if (jar.version() == null) {
            return Optional.of(where + " provides '" + library + "' but has no version (no pom.properties, "
                    + "no -<version> in its name); required " + range);
        }
        Semver version = Semver.coerce(jar.version());
        if (version == null) {
            return Optional.of(where + " has version '" + jar.version() + "', which is not a semantic version; "
                    + "required " + range);
        }
        try {
            if (!version.satisfies(range)) {
                return Optional.of(where + " has " + library + " " + jar.version() + ", but plugin "
                        + manifest.id() + " requires " + range);
            }
        } catch (SemverException e) {
            return Optional.of("library '" + library + "': range '" + range + "' is not a valid semver range ("
                    + e.getMessage() + ")");
        }
        return Optional.empty();
    }

    private static List<LibraryJar> inspect(PluginManifest manifest, Path jar) {
        List<LibraryJar> found = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry e : (Iterable<JarEntry>) file.stream()::iterator) {
                if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/" + POM_PROPERTIES)) {
                    Properties pom = new Properties();
                    try (InputStream in = file.getInputStream(e)) {
                        pom.load(in);
                    }
                    found.add(new LibraryJar(jar, pom.getProperty("groupId", ""), pom.getProperty("artifactId", ""),
                            pom.getProperty("version")));
                }
            }
        } catch (IOException e) {
            throw new PluginDependencyException(manifest.id(), "plugin " + manifest.id() + ": lib/" + jar.getFileName()
                    + " is not a readable jar (" + e.getMessage() + "); replace or remove it", e);
        }
        if (found.isEmpty()) {
            found.add(fromFileName(jar));
        }
        return found;
    }

    private static LibraryJar fromFileName(Path jar) {
        String fileName = jar.getFileName().toString();
        Matcher m = FILE_NAME.matcher(fileName);
        if (m.matches()) {
            return new LibraryJar(jar, "", m.group(1), m.group(2));
        }
        return new LibraryJar(jar, "", fileName.substring(0, fileName.length() - ".jar".length()), null);
    }
}
