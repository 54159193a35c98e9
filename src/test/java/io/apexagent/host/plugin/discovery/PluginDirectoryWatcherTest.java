package io.apexagent.host.plugin.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apexagent.host.plugin.discovery.PluginDirectoryWatcher.Change;
import io.apexagent.host.plugin.discovery.PluginDirectoryWatcher.ChangeKind;

class PluginDirectoryWatcherTest {

    @TempDir
    Path root;

    @Test
    void reportsAddedChangedAndRemovedFoldersOncePerQuietPeriod() throws Exception {
        TestManifests.write(root.resolve("existing"), "existing", "1.0.0", m -> { });
        List<Change> changes = new CopyOnWriteArrayList<>();
        List<Exception> errors = new CopyOnWriteArrayList<>();

        try (PluginDirectoryWatcher watcher = PluginDirectoryWatcher.start(root, Duration.ofMillis(300), changes::add,
                errors::add)) {
            // Several writes in a row: one ADDED.
            TestManifests.write(root.resolve("fresh"), "fresh", "1.0.0", m -> { });
            Files.writeString(root.resolve("fresh").resolve("notes.txt"), "x");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> changes.contains(new Change(root.resolve("fresh"), ChangeKind.ADDED)));

            TestManifests.write(root.resolve("existing"), "existing", "1.1.0", m -> { });
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> changes.contains(new Change(root.resolve("existing"), ChangeKind.CHANGED)));

            Files.delete(root.resolve("fresh").resolve("notes.txt"));
            Files.delete(root.resolve("fresh").resolve("plugin.jar"));
            Files.delete(root.resolve("fresh").resolve("manifest.json"));
            Files.delete(root.resolve("fresh"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> changes.contains(new Change(root.resolve("fresh"), ChangeKind.REMOVED)));
        }

        assertThat(changes).filteredOn(c -> c.kind() == ChangeKind.ADDED).hasSize(1);
        assertThat(errors).isEmpty();
    }

    @Test
    void seesNewVersionsInTheVersionedLayoutAndIgnoresHiddenFolders() throws Exception {
        TestManifests.write(root.resolve("multi").resolve("1.0.0"), "multi", "1.0.0", m -> { });
        List<Change> changes = new CopyOnWriteArrayList<>();

        try (PluginDirectoryWatcher watcher = PluginDirectoryWatcher.start(root, Duration.ofMillis(200), changes::add,
                e -> { throw new AssertionError(e); })) {
            TestManifests.write(root.resolve(".tmp-upload"), "tmp", "1.0.0", m -> { });
            TestManifests.write(root.resolve("multi").resolve("2.0.0"), "multi", "2.0.0", m -> { });
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> changes.contains(new Change(root.resolve("multi"), ChangeKind.CHANGED)));
        }

        assertThat(changes).extracting(Change::folder).doesNotContain(root.resolve(".tmp-upload"));
    }
}
