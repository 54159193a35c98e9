package io.apexagent.host.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.apexagent.plugin.PluginStateException;
import io.smallrye.mutiny.Uni;
import io.quarkus.test.junit.QuarkusTest;

/** Concurrent writers of one row (as two replicas would be) are caught by the optimistic lock: retried or reported. */
@QuarkusTest
class StateConcurrencyIT {

    @Inject
    StateStore store;

    @Test
    void concurrentWritersAreRetriedAndNoWriteIsLost() {
        List<Uni<PluginStateEntity>> writes = IntStream.range(0, 4)
                .mapToObj(i -> store.store(write("st-concurrent", "w" + i, null), true))
                .toList();

        Uni.join().all(writes).andFailFast().await().indefinitely();

        PluginStateEntity row = store.row("st-concurrent").await().indefinitely();
        // One insert and three updates, each committed on its own row version: none overwrote another unseen.
        assertThat(row.version).isEqualTo(3);
    }

    @Test
    void aWriterThatExpectedAnOlderRowVersionIsReportedNotApplied() {
        PluginStateEntity first = store.store(write("st-stale", "first", null), true).await().indefinitely();
        store.store(write("st-stale", "second", first.version), false).await().indefinitely();

        assertThatThrownBy(() -> store.store(write("st-stale", "stale", first.version), false).await().indefinitely())
                .isInstanceOf(PluginStateException.class)
                .hasMessageContaining("another writer (another replica?) changed it first");
        assertThat(store.row("st-stale").await().indefinitely().data).isEqualTo("second");
    }

    private static StateWrite write(String id, String data, Long expectedVersion) {
        return new StateWrite(id, "1.0.0", 1, data, data.length(), null, null, expectedVersion);
    }
}
