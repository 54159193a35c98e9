package io.apexagent.host.plugin.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginScannerTest {

    private final PluginScanner scanner = new PluginScanner(new ManifestParser());

    @TempDir
    Path root;

    @Test
    void findsFlatAndVersionedPluginsAndReportsBadOnesWithoutStopping() throws Exception {
        TestManifests.write(root.resolve("alpha"), "alpha", "1.0.0", m -> { });
        TestManifests.write(root.resolve("beta").resolve("1.0.0"), "beta", "1.0.0", m -> { });
        TestManifests.write(root.resolve("beta").resolve("2.1.0"), "beta", "2.1.0", m -> { });
        TestManifests.write(root.resolve("broken"), "broken", "1.0", m -> { });
        TestManifests.writeRaw(root.resolve("garbled"), "{ not json");
        Files.createDirectories(root.resolve("empty"));
        TestManifests.write(root.resolve(".uploading"), "hidden", "1.0.0", m -> { });
        Files.writeString(root.resolve("README.txt"), "plugins go here");

        DiscoveryResult result = scanner.scan(root);

        assertThat(result.manifests()).extracting(m -> m.id() + "@" + m.version())
                .containsExactly("alpha@1.0.0", "beta@1.0.0", "beta@2.1.0");
        assertThat(result.failures()).extracting(DiscoveryFailure::folder)
                .containsExactly(root.resolve("broken"), root.resolve("empty"), root.resolve("garbled"));
        assertThat(result.failures().get(0).error()).isInstanceOf(ManifestValidationException.class)
                .hasMessageContaining(root.resolve("broken/manifest.json") + ": /version: '1.0' is not a semantic version");
        assertThat(result.failures().get(1).error()).hasMessageContaining("has no manifest.json; expected");
        assertThat(result.failures().get(2).error()).hasMessageContaining("malformed JSON at line 1");
    }

    @Test
    void versionedLayoutMustAgreeWithTheManifest() {
        TestManifests.write(root.resolve("gamma").resolve("1.0.0"), "delta", "1.2.0", m -> { });

        DiscoveryResult result = scanner.scan(root);

        assertThat(result.manifests()).isEmpty();
        ManifestValidationException error = (ManifestValidationException) result.failures().get(0).error();
        assertThat(error.problems()).extracting(ManifestProblem::pointer).containsExactly("/id", "/version");
        assertThat(error.getMessage()).contains("'delta' differs from its folder 'gamma'")
                .contains("'1.2.0' differs from its folder '1.0.0'");
    }

    @Test
    void missingDirectoryIsAFailureAndOtherDirectoriesAreStillScanned() {
        TestManifests.write(root.resolve("one").resolve("alpha"), "alpha", "1.0.0", m -> { });
        Path missing = root.resolve("nope");

        DiscoveryResult result = scanner.scan(List.of(missing, root.resolve("one")));

        assertThat(result.manifests()).extracting(PluginManifest::id).containsExactly("alpha");
        assertThat(result.failures()).singleElement().satisfies(f -> {
            assertThat(f.folder()).isEqualTo(missing);
            assertThat(f.error()).hasMessageContaining("plugin directory " + missing + " does not exist; expected");
        });
        assertThat(result.isClean()).isFalse();
    }

    @Test
    void scannedManifestsFeedTheResolver() {
        TestManifests.write(root.resolve("base"), "base", "1.3.0", m -> { });
        TestManifests.write(root.resolve("app"), "app", "0.1.0",
                m -> m.putObject("dependencies").putObject("plugins").put("base", "^1.2.0"));

        ResolutionResult result = new DependencyResolver().resolve(scanner.scan(root).manifests());

        assertThat(result.loadOrder()).extracting(PluginManifest::id).containsExactly("base", "app");
    }
}
