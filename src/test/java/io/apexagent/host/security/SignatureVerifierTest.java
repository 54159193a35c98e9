package io.apexagent.host.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.security.cli.PluginSigner;
import io.apexagent.host.testing.TestPlugins;
import io.apexagent.plugin.PluginSecurityException;

/** Signature checks in both modes, with the committed test-only key pair; no application boot. */
class SignatureVerifierTest {

    static final Path TEST_KEY = Path.of("src/test/resources/security/test-only-signing.key");
    static final Path TEST_PUB = Path.of("src/test/resources/security/test-only-signing.pub");

    @TempDir
    Path tmp;

    @Test
    void requiredModeRefusesUnsignedAndAcceptsSigned() throws Exception {
        SignatureVerifier required = new SignatureVerifier(trusted(), SignatureMode.REQUIRED);
        PluginManifest unsigned = plugin("unsigned");
        assertThatThrownBy(() -> required.verify(unsigned)).isInstanceOf(PluginSecurityException.class)
                .hasMessageContaining("plugin unsigned is not signed")
                .hasMessageContaining("manifest.sig")
                .hasMessageContaining("'required'");
        PluginManifest signed = plugin("signed");
        PluginSigner.sign(signed.directory(), PluginSigner.readPrivateKey(TEST_KEY));
        assertThatCode(() -> required.verify(signed)).doesNotThrowAnyException();
    }

    @Test
    void optionalModeLoadsUnsignedButRefusesABadSignature() throws Exception {
        SignatureVerifier optional = new SignatureVerifier(trusted(), SignatureMode.OPTIONAL);
        assertThatCode(() -> optional.verify(plugin("unsigned"))).doesNotThrowAnyException();
        PluginManifest tampered = plugin("tampered");
        PluginSigner.sign(tampered.directory(), PluginSigner.readPrivateKey(TEST_KEY));
        Files.writeString(tampered.directory().resolve("Extra.java"), "class Extra {}");
        assertThatThrownBy(() -> optional.verify(tampered)).isInstanceOf(PluginSecurityException.class)
                .hasMessageContaining("plugin tampered has a bad signature")
                .hasMessageContaining("added, changed or removed after signing");
    }

    @Test
    void aSignatureByAnUntrustedKeyIsBad() throws Exception {
        PluginSigner.keygen(tmp.resolve("stranger"));
        PluginManifest foreign = plugin("foreign");
        PluginSigner.sign(foreign.directory(), PluginSigner.readPrivateKey(tmp.resolve("stranger.key")));
        assertThatThrownBy(() -> new SignatureVerifier(trusted(), SignatureMode.OPTIONAL).verify(foreign))
                .isInstanceOf(PluginSecurityException.class).hasMessageContaining("bad signature");
        assertThatThrownBy(() -> new SignatureVerifier(List.of(), SignatureMode.OPTIONAL).verify(foreign))
                .isInstanceOf(PluginSecurityException.class).hasMessageContaining("bad signature")
                .hasMessageContaining("no key is trusted (apex.security.trusted-keys is empty)");
        Files.writeString(foreign.directory().resolve(PluginSigner.SIGNATURE_FILE), "not base64 at all!");
        assertThatThrownBy(() -> new SignatureVerifier(trusted(), SignatureMode.OPTIONAL).verify(foreign))
                .isInstanceOf(PluginSecurityException.class).hasMessageContaining("bad signature");
    }

    @Test
    void trustedKeysAreFilesOrInlineBase64AndJunkIsNamed() throws Exception {
        String inline = Files.readAllLines(TEST_PUB).stream().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
        assertThat(TrustedKeys.parse(List.of(TEST_PUB.toString(), inline))).hasSize(2)
                .allSatisfy(k -> assertThat(k.getAlgorithm()).isIn("Ed25519", "EdDSA"));
        assertThatThrownBy(() -> TrustedKeys.parse(List.of("no-such-file.pub")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apex.security.trusted-keys entry 'no-such-file.pub'");
    }

    @Test
    void theHostVerifierChecksTheSignatureBeforeTheCode() throws Exception {
        PluginManifest unsigned = plugin("order");
        var verifier = new HostPluginCodeVerifier(new SignatureVerifier(trusted(), SignatureMode.REQUIRED));
        assertThatThrownBy(() -> verifier.verifyFolder(unsigned)).hasMessageContaining("is not signed");
    }

    private static List<PublicKey> trusted() {
        return TrustedKeys.parse(List.of(TEST_PUB.toString()));
    }

    private PluginManifest plugin(String id) {
        return TestPlugins.plugin(id).action("a").javaSource("sv." + id.replace('-', '_') + ".P", """
                package sv.%s;
                public class P { }
                """.formatted(id.replace('-', '_'))).writeTo(tmp).manifest();
    }
}
