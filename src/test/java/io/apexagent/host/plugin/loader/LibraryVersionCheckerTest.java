package io.apexagent.host.plugin.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semver4j.Semver;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.testing.TestJars;
import io.apexagent.host.testing.TestPlugins;
import io.apexagent.plugin.PluginDependencyException;

class LibraryVersionCheckerTest {

    private final LibraryVersionChecker checker = new LibraryVersionChecker();

    @TempDir
    Path dir;

    static Path semver4jJar() throws Exception {
        return Path.of(Semver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void versionFromPomPropertiesWithinRangeIsAccepted() throws Exception {
        PluginManifest manifest = TestPlugins.plugin("ok").libJar(semver4jJar()).library("semver4j", "^5.0.0")
                .library("org.semver4j:semver4j", ">=5.8.0 <6.0.0").writeTo(dir).manifest();

        LibraryVersionChecker.Result result = checker.requireSatisfied(manifest);

        assertThat(result.ok()).isTrue();
        assertThat(result.jars()).extracting(LibraryVersionChecker.LibraryJar::version).containsExactly("5.8.0");
    }

    @Test
    void versionFromTheFileNameWhenTheJarHasNoPomProperties() {
        Path jar = TestJars.writeJar(dir.resolve("tiny-json-2.3.1.jar"), Map.of("tiny/Json.class", new byte[0]));
        PluginManifest manifest = TestPlugins.plugin("by-name").libJar(jar).library("tiny-json", "~2.3.0")
                .writeTo(dir).manifest();

        assertThat(checker.check(manifest).ok()).isTrue();
        assertThat(checker.check(manifest).jars()).singleElement()
                .satisfies(j -> assertThat(j.name()).isEqualTo("tiny-json"))
                .satisfies(j -> assertThat(j.version()).isEqualTo("2.3.1"));
    }

    @Test
    void missingLibraryIsNamedWithItsRange() {
        PluginManifest manifest = TestPlugins.plugin("missing").library("commons-text", "^1.10.0").writeTo(dir)
                .manifest();

        assertThatThrownBy(() -> checker.requireSatisfied(manifest))
                .isInstanceOf(PluginDependencyException.class)
                .hasMessageContaining("library 'commons-text' (required ^1.10.0) is missing")
                .hasMessageContaining("change dependencies.libraries in " + manifest.manifestFile());
    }

    @Test
    void wrongVersionNamesTheJarTheFoundVersionAndTheRequiredRange() throws Exception {
        PluginManifest manifest = TestPlugins.plugin("wrong").libJar(semver4jJar()).library("semver4j", "^6.0.0")
                .writeTo(dir).manifest();

        assertThatThrownBy(() -> checker.requireSatisfied(manifest))
                .isInstanceOf(PluginDependencyException.class)
                .hasMessageContaining("lib/semver4j-5.8.0.jar has semver4j 5.8.0, but plugin wrong requires ^6.0.0");
    }

    @Test
    void allProblemsAreReportedTogether() {
        Path unversioned = TestJars.writeJar(dir.resolve("mystery.jar"), Map.of("m/M.class", new byte[0]));
        PluginManifest manifest = TestPlugins.plugin("many").libJar(unversioned).library("mystery", "1.x")
                .library("absent", "^1.0.0").writeTo(dir).manifest();

        assertThat(checker.check(manifest).problems()).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("lib/mystery.jar provides 'mystery' but has no version"))
                .anySatisfy(p -> assertThat(p).contains("library 'absent' (required ^1.0.0) is missing"));
    }
}
