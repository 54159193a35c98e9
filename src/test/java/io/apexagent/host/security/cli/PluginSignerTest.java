package io.apexagent.host.security.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signing command and the canonical digest the host verifies. */
class PluginSignerTest {

    @TempDir
    Path tmp;

    @Test
    void listingIsSortedSlashSeparatedAndLeavesTheSignatureOut() throws Exception {
        Path dir = plugin("p");
        Files.writeString(dir.resolve(PluginSigner.SIGNATURE_FILE), "ignored");
        assertThat(PluginSigner.listing(dir)).isEqualTo(
                "lib/a.jar\0" + sha("jar") + "\n"
                        + "manifest.json\0" + sha("{}") + "\n"
                        + "src/P.java\0" + sha("class P {}") + "\n");
        assertThat(PluginSigner.digest(dir)).isEqualTo(MessageDigest.getInstance("SHA-256")
                .digest(PluginSigner.listing(dir).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void signedFolderVerifiesUntilAnyFileChanges() throws Exception {
        KeyPair pair = PluginSigner.keygen(tmp.resolve("k"));
        KeyPair other = PluginSigner.keygen(tmp.resolve("other"));
        Path dir = plugin("p");
        assertThat(PluginSigner.verify(dir, List.of(pair.getPublic()))).as("unsigned").isFalse();
        PluginSigner.sign(dir, PluginSigner.readPrivateKey(tmp.resolve("k.key")));
        assertThat(PluginSigner.verify(dir, List.of(PluginSigner.readPublicKey(tmp.resolve("k.pub"))))).isTrue();
        assertThat(PluginSigner.verify(dir, List.of(other.getPublic()))).as("other key").isFalse();
        assertThat(PluginSigner.verify(dir, List.of(other.getPublic(), pair.getPublic()))).as("any trusted key")
                .isTrue();
        Files.writeString(dir.resolve("resources/new.txt"), "added");
        assertThat(PluginSigner.verify(dir, List.of(pair.getPublic()))).as("file added").isFalse();
        Files.delete(dir.resolve("resources/new.txt"));
        assertThat(PluginSigner.verify(dir, List.of(pair.getPublic()))).isTrue();
        Files.writeString(dir.resolve("src/P.java"), "class P { /* changed */ }");
        assertThat(PluginSigner.verify(dir, List.of(pair.getPublic()))).as("file changed").isFalse();
    }

    @Test
    void runsAsASingleSourceFileWithTheJdkAlone() throws Exception {
        Path source = Path.of("src/main/java/io/apexagent/host/security/cli/PluginSigner.java").toAbsolutePath();
        Path dir = plugin("p");
        assertThat(run(source, "keygen", tmp.resolve("cli").toString())).isZero();
        assertThat(run(source, "sign", dir.toString(), tmp.resolve("cli.key").toString())).isZero();
        assertThat(run(source, "verify", dir.toString(), tmp.resolve("cli.pub").toString())).isZero();
        Files.writeString(dir.resolve("manifest.json"), "{\"tampered\": true}");
        assertThat(run(source, "verify", dir.toString(), tmp.resolve("cli.pub").toString())).isEqualTo(1);
        assertThat(run(source, "nonsense")).isEqualTo(2);
    }

    private int run(Path source, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), source.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("cli-output.txt").toFile()).start();
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private Path plugin(String name) throws Exception {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir.resolve("src"));
        Files.createDirectories(dir.resolve("lib"));
        Files.createDirectories(dir.resolve("resources"));
        Files.writeString(dir.resolve("manifest.json"), "{}");
        Files.writeString(dir.resolve("src/P.java"), "class P {}");
        Files.writeString(dir.resolve("lib/a.jar"), "jar");
        return dir;
    }

    private static String sha(String content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(content.getBytes(StandardCharsets.UTF_8)));
    }
}
