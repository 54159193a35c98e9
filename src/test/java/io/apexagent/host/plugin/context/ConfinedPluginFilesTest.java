package io.apexagent.host.plugin.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apexagent.plugin.Permission;
import io.apexagent.plugin.PluginFileTooLargeException;
import io.apexagent.plugin.PluginSecurityException;

/** The operator's allowed paths narrow a plugin's data directory; every refusal is reported. */
class ConfinedPluginFilesTest {

    @TempDir
    Path root;

    private final List<String> denials = new CopyOnWriteArrayList<>();
    private final PermissionGuard guard = new PermissionGuard("files-test",
            EnumSet.of(Permission.FILE_SYSTEM_READ, Permission.FILE_SYSTEM_WRITE), e -> denials.add(e.getMessage()));

    @Test
    void allowedPathsKeepCallsInsideThoseSubDirectories() throws Exception {
        ConfinedPluginFiles files = new ConfinedPluginFiles(root, guard, List.of("public"));

        files.write("public/a.txt", bytes("a"));
        assertThat(files.read("public/a.txt")).isEqualTo(bytes("a"));
        assertThat(files.list("public")).containsExactly("a.txt");
        assertThatThrownBy(() -> files.write("private.txt", bytes("b"))).isInstanceOf(PluginSecurityException.class)
                .hasMessageContaining("path 'private.txt' is outside the paths the operator's policy allows: [public]");
        assertThatThrownBy(() -> files.list("")).isInstanceOf(PluginSecurityException.class);
        assertThatThrownBy(() -> files.read("public/../private.txt")).isInstanceOf(PluginSecurityException.class);
        assertThat(denials).hasSize(3);
        assertThat(root.resolve("private.txt")).doesNotExist();
    }

    @Test
    void withoutAllowedPathsTheWholeDataDirectoryIsReachable() throws Exception {
        ConfinedPluginFiles files = new ConfinedPluginFiles(root, guard);

        files.write("private.txt", bytes("b"));
        assertThat(files.list("")).containsExactly("private.txt");
        assertThatThrownBy(() -> files.read("../outside.txt")).isInstanceOf(PluginSecurityException.class)
                .hasMessageContaining("outside the plugin's data directory");
    }

    @Test
    void aReadWithALimitRefusesALargerFileNamingItsSizeAndReadsOneAtTheLimit() throws Exception {
        ConfinedPluginFiles files = new ConfinedPluginFiles(root, guard);
        files.write("ten.txt", bytes("0123456789"));

        assertThat(files.read("ten.txt", 10)).isEqualTo(bytes("0123456789"));
        assertThatThrownBy(() -> files.read("ten.txt", 9)).isInstanceOf(PluginFileTooLargeException.class)
                .hasMessage("file 'ten.txt' is 10 bytes, more than the 9 bytes that may be read at once")
                .satisfies(e -> assertThat(((PluginFileTooLargeException) e).size()).isEqualTo(10));
        assertThatThrownBy(() -> files.read("../ten.txt", 100)).isInstanceOf(PluginSecurityException.class);
    }

    /** Larger than a Java array: refused with an error naming the file, instead of the JVM's OutOfMemoryError. */
    @Test
    void aFileLargerThanAnArrayIsRefusedByName() throws Exception {
        try (RandomAccessFile sparse = new RandomAccessFile(root.resolve("huge.bin").toFile(), "rw")) {
            sparse.setLength(3L << 30);
        }
        ConfinedPluginFiles files = new ConfinedPluginFiles(root, guard);

        assertThatThrownBy(() -> files.read("huge.bin")).isInstanceOf(PluginFileTooLargeException.class)
                .hasMessage("file 'huge.bin' is 3221225472 bytes, more than the 2147483639 bytes that may be read at once");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
