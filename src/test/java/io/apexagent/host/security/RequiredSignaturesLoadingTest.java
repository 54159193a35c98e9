package io.apexagent.host.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.plugin.loader.JavaSourceCompiler;
import io.apexagent.host.plugin.loader.LoadedPlugin;
import io.apexagent.host.plugin.loader.PluginLoader;
import io.apexagent.host.security.cli.PluginSigner;
import io.apexagent.host.testing.TestPlugins;
import io.apexagent.plugin.PluginSecurityException;

/**
 * The production mode ({@code apex.security.signatures=required}) through the real loader: an unsigned or
 * tampered plugin is refused before any of its classes is defined; the same plugin signed loads. (The
 * application suite runs with signatures optional, because the reference plugins are unsigned.)
 */
class RequiredSignaturesLoadingTest {

    @TempDir
    Path dir;

    @Test
    void anUnsignedPluginIsRefusedByTheLoader() {
        PluginManifest manifest = plugin("unsigned-prod").writeTo(dir).manifest();

        assertThatThrownBy(() -> loader().load(manifest)).isInstanceOf(PluginSecurityException.class)
                .hasMessageContaining("plugin unsigned-prod is not signed")
                .hasMessageContaining("'required'");
    }

    @Test
    void aSignedPluginLoadsAndATamperedOneIsRefused() throws Exception {
        PluginManifest manifest = plugin("signed-prod").writeTo(dir).manifest();
        PluginSigner.sign(manifest.directory(), PluginSigner.readPrivateKey(SignatureVerifierTest.TEST_KEY));

        try (LoadedPlugin loaded = loader().load(manifest)) {
            assertThat(loaded.plugin().getClass().getName()).isEqualTo("prod.signed.Plugin");
        }

        Files.writeString(manifest.directory().resolve("Plugin.java"),
                Files.readString(manifest.directory().resolve("Plugin.java")) + "\n// changed\n");
        assertThatThrownBy(() -> loader().load(manifest)).isInstanceOf(PluginSecurityException.class)
                .hasMessageContaining("plugin signed-prod has a bad signature");
    }

    @Test
    void anUnsignedOrTamperedSourcePluginIsNeverCompiled() throws Exception {
        PluginManifest unsigned = plugin("unsigned-prod").writeTo(dir).manifest();
        PluginManifest tampered = plugin("tampered-prod").writeTo(dir).manifest();
        PluginSigner.sign(tampered.directory(), PluginSigner.readPrivateKey(SignatureVerifierTest.TEST_KEY));
        Files.writeString(tampered.directory().resolve("Plugin.java"),
                Files.readString(tampered.directory().resolve("Plugin.java")) + "\n// changed after signing\n");

        assertThatThrownBy(() -> loader().load(unsigned)).hasMessageContaining("is not signed");
        assertThatThrownBy(() -> loader().load(tampered)).hasMessageContaining("has a bad signature");

        // The compiler writes classes under <cache>/<pluginId>/<hash>: nothing was compiled for either.
        assertThat(dir.resolve("cache").resolve("unsigned-prod")).doesNotExist();
        assertThat(dir.resolve("cache").resolve("tampered-prod")).doesNotExist();
    }

    private PluginLoader loader() {
        HostPluginCodeVerifier verifier = new HostPluginCodeVerifier(
                new SignatureVerifier(TrustedKeys.parse(List.of(SignatureVerifierTest.TEST_PUB.toString())), SignatureMode.REQUIRED));
        return new PluginLoader(new JavaSourceCompiler(dir.resolve("cache")), verifier);
    }

    private static TestPlugins.Builder plugin(String id) {
        String pkg = id.substring(0, id.indexOf('-'));
        return TestPlugins.plugin(id).action("hello").javaSource("prod." + pkg + ".Plugin", """
                package prod.%s;
                import java.util.Map;
                import io.apexagent.plugin.AbstractPlugin;
                import io.smallrye.mutiny.Uni;
                public class Plugin extends AbstractPlugin {
                    @Override
                    public Uni<Object> executeAction(String action, Map<String, Object> params) {
                        return Uni.createFrom().item(Map.of("ok", true));
                    }
                }
                """.formatted(pkg));
    }
}
