package io.apexagent.host.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.apexagent.host.plugin.lifecycle.PluginState;
import io.apexagent.host.testing.ApexConfigs;
import io.smallrye.mutiny.Uni;

/** Automatic restarts: a plugin that fails again soon after a successful restart waits longer each time. */
class PluginRecoveryTest {

    final List<String> starts = new CopyOnWriteArrayList<>();

    @Test
    void attemptsKeepCountingWhenARestartedPluginFailsAgainSoon() {
        try (PluginRecovery recovery = recovery("1h")) {
            recovery.failed("p");
            await().atMost(Duration.ofSeconds(5)).until(() -> starts.size() == 1);
            state = PluginState.FAILED; // e.g. its circuit breaker opened right after the restart
            recovery.failed("p");
            await().atMost(Duration.ofSeconds(5)).until(() -> starts.size() == 2);
            assertThat(starts).containsExactly("automatic recovery, attempt 1 of 5", "automatic recovery, attempt 2 of 5");
            assertThat(recovery.attempts("p")).isEqualTo(2);
            assertThat(recovery.backoff(2)).isEqualTo(recovery.backoff(1).multipliedBy(2));
        }
    }

    @Test
    void attemptsAreForgottenOnceTheRestartedPluginStayedHealthy() {
        try (PluginRecovery recovery = recovery("50ms")) {
            recovery.failed("p");
            await().atMost(Duration.ofSeconds(5)).until(() -> starts.size() == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> recovery.attempts("p") == 0);
            state = PluginState.FAILED;
            recovery.failed("p");
            await().atMost(Duration.ofSeconds(5)).until(() -> starts.size() == 2);
            assertThat(starts).containsExactly("automatic recovery, attempt 1 of 5", "automatic recovery, attempt 1 of 5");
        }
    }

    volatile PluginState state = PluginState.FAILED;

    private PluginRecovery recovery(String healthyAfter) {
        var config = ApexConfigs.of(Map.of("apex.plugins.recovery.initial-backoff", "20ms",
                "apex.plugins.recovery.healthy-after", healthyAfter)).plugins().recovery();
        return new PluginRecovery(config,
                id -> new PluginSnapshot(id, "1.0.0", state, "", List.of(), null, Set.of(), 0),
                (id, reason) -> {
                    starts.add(reason);
                    state = PluginState.ACTIVE;
                    return Uni.createFrom().item(new PluginSnapshot(id, "1.0.0", PluginState.ACTIVE, reason, List.of(),
                            null, Set.of(), 0));
                });
    }
}
