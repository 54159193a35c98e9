package io.apexagent.host.messaging.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.testing.TestPlugins;

class PluginAdmissionsTest {

    @TempDir
    Path dir;

    final PluginAdmissions admissions = new PluginAdmissions(4, 2);

    @Test
    void requestsForUnknownPluginsTakeNoPermitsAndLeaveNothingBehind() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(admissions.of("unknown-" + UUID.randomUUID(), null)).isNull();
        }
        assertThat(admissions.plugins()).isZero();
    }

    @Test
    void oneInstanceHasOneSetOfPermitsSizedByItsLimitsPlusTheQueue() {
        PluginManifest limited = manifest("limited", "1.0.0", Map.of("max_concurrency", 3));
        PluginManifest defaulted = manifest("defaulted", "1.0.0", null);

        InFlightPermits permits = admissions.of("limited", limited);
        assertThat(admissions.of("limited", limited)).isSameAs(permits);
        assertThat(permits.available()).isEqualTo(3 + 2);
        assertThat(admissions.of("defaulted", defaulted).available()).isEqualTo(4 + 2);
        assertThat(admissions.plugins()).isEqualTo(2);
    }

    @Test
    void aReloadReplacesThePermitsOfThePluginInsteadOfAddingAnEntry() {
        InFlightPermits first = admissions.of("reloaded", manifest("reloaded", "1.0.0", null));
        first.acquire().await().indefinitely();
        for (int version = 1; version <= 50; version++) {
            admissions.of("reloaded", manifest("reloaded", version + ".0.0", Map.of("max_concurrency", version)));
        }
        // The same version loaded again is a new instance, with new workers and maybe new limits.
        InFlightPermits again = admissions.of("reloaded", manifest("reloaded", "50.0.0", Map.of("max_concurrency", 7)));

        assertThat(admissions.plugins()).isEqualTo(1);
        assertThat(again).isNotSameAs(first);
        assertThat(again.available()).isEqualTo(7 + 2);
        // A call still running on the old instance releases into the permits it took.
        first.release();
        assertThat(first.available()).isEqualTo(4 + 2);
    }

    private PluginManifest manifest(String id, String version, Map<String, Object> limits) {
        TestPlugins.Builder plugin = TestPlugins.plugin(id).version(version).action("run");
        if (limits != null) {
            plugin.manifestField("limits", limits);
        }
        return plugin.writeTo(dir.resolve(UUID.randomUUID().toString())).manifest();
    }
}
