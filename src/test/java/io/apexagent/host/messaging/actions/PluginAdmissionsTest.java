package io.apexagent.host.messaging.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.testing.TestPlugins;
import io.smallrye.mutiny.Uni;

class PluginAdmissionsTest {

    @TempDir
    Path dir;

    /** What serves each plugin now, as the plugin manager would say. */
    final java.util.Map<String, PluginManifest> serving = new java.util.HashMap<>();
    final PluginAdmissions admissions = new PluginAdmissions(serving::get, 4, 2);

    @Test
    void requestsForUnknownPluginsTakeNoPermitsAndLeaveNothingBehind() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(admissions.of("unknown-" + UUID.randomUUID(), null)).isNull();
        }
        assertThat(admissions.plugins()).isZero();
    }

    @Test
    void oneInstanceHasOneSetOfPermitsSizedByItsLimitsPlusTheQueue() {
        PluginManifest limited = loaded("limited", "1.0.0", Map.of("max_concurrency", 3));
        PluginManifest defaulted = loaded("defaulted", "1.0.0", null);

        InFlightPermits permits = admissions.of("limited", limited);
        assertThat(admissions.of("limited", limited)).isSameAs(permits);
        assertThat(permits.available()).isEqualTo(3 + 2);
        assertThat(admissions.of("defaulted", defaulted).available()).isEqualTo(4 + 2);
        assertThat(admissions.plugins()).isEqualTo(2);
    }

    @Test
    void aReloadReplacesThePermitsOfThePluginInsteadOfAddingAnEntry() {
        InFlightPermits first = admissions.of("reloaded", loaded("reloaded", "1.0.0", null));
        java.util.concurrent.CompletableFuture<String> running = new java.util.concurrent.CompletableFuture<>();
        first.whileHeld(() -> Uni.createFrom().completionStage(running)).subscribe().with(ok -> { });
        for (int version = 1; version <= 50; version++) {
            admissions.of("reloaded", loaded("reloaded", version + ".0.0", Map.of("max_concurrency", version)));
        }
        // The same version loaded again is a new instance, with new workers and maybe new limits.
        InFlightPermits again = admissions.of("reloaded", loaded("reloaded", "50.0.0", Map.of("max_concurrency", 7)));

        assertThat(admissions.plugins()).isEqualTo(1);
        assertThat(again).isNotSameAs(first);
        assertThat(again.available()).isEqualTo(7 + 2);
        // A call still running on the old instance gives its permit back to the permits it took it from.
        assertThat(first.available()).isEqualTo(4 + 2 - 1);
        running.complete("done");
        assertThat(first.available()).isEqualTo(4 + 2);
    }

    /** A request that looked the plugin up just before a reload does not swap the new instance's permits back. */
    @Test
    void aRequestHoldingTheManifestOfBeforeAReloadSharesTheNewPermits() {
        PluginManifest before = loaded("swapped", "1.0.0", null);
        admissions.of("swapped", before);
        InFlightPermits after = admissions.of("swapped", loaded("swapped", "1.0.1", null));

        assertThat(admissions.of("swapped", before)).isSameAs(after);
        assertThat(admissions.of("swapped", serving.get("swapped"))).isSameAs(after);
    }

    /** A new instance of the plugin, serving from now on. */
    private PluginManifest loaded(String id, String version, Map<String, Object> limits) {
        PluginManifest manifest = manifest(id, version, limits);
        serving.put(id, manifest);
        return manifest;
    }

    private PluginManifest manifest(String id, String version, Map<String, Object> limits) {
        TestPlugins.Builder plugin = TestPlugins.plugin(id).version(version).action("run");
        if (limits != null) {
            plugin.manifestField("limits", limits);
        }
        return plugin.writeTo(dir.resolve(UUID.randomUUID().toString())).manifest();
    }
}
