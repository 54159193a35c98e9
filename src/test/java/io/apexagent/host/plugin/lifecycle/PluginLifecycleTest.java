package io.apexagent.host.plugin.lifecycle;

import static io.apexagent.host.plugin.lifecycle.PluginState.ACTIVE;
import static io.apexagent.host.plugin.lifecycle.PluginState.DISCOVERED;
import static io.apexagent.host.plugin.lifecycle.PluginState.FAILED;
import static io.apexagent.host.plugin.lifecycle.PluginState.INITIALIZED;
import static io.apexagent.host.plugin.lifecycle.PluginState.LOADED;
import static io.apexagent.host.plugin.lifecycle.PluginState.PAUSED;
import static io.apexagent.host.plugin.lifecycle.PluginState.STOPPED;
import static io.apexagent.host.plugin.lifecycle.PluginState.STOPPING;
import static io.apexagent.host.plugin.lifecycle.PluginState.UNLOADED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.apexagent.plugin.PluginLifecycleException;

class PluginLifecycleTest {

    final List<LifecycleEvent> events = new ArrayList<>();
    final PluginLifecycle lifecycle = new PluginLifecycle("echo", "1.0.0", "node-a", events::add,
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void fullHappyPathEmitsOneEventPerTransition() {
        lifecycle.transition(LOADED, "load");
        lifecycle.transition(INITIALIZED, "initialize");
        lifecycle.transition(ACTIVE, "start");
        lifecycle.transition(PAUSED, "pause");
        lifecycle.transition(ACTIVE, "resume");
        lifecycle.transition(STOPPING, "stop");
        lifecycle.transition(STOPPED, "stopped");
        lifecycle.transition(UNLOADED, "unload");

        assertThat(events).extracting(LifecycleEvent::to)
                .containsExactly(LOADED, INITIALIZED, ACTIVE, PAUSED, ACTIVE, STOPPING, STOPPED, UNLOADED);
        assertThat(events.get(0)).isEqualTo(new LifecycleEvent("echo", "1.0.0", DISCOVERED, LOADED, "load",
                "node-a", Instant.parse("2026-01-01T00:00:00Z")));
    }

    @Test
    void illegalTransitionIsTypedAndLeavesStateUnchanged() {
        lifecycle.transition(LOADED, "load");
        assertThatThrownBy(() -> lifecycle.transition(ACTIVE, "start"))
                .isInstanceOf(PluginLifecycleException.class)
                .hasMessageContaining("cannot go from LOADED to ACTIVE");
        assertThat(lifecycle.state()).isEqualTo(LOADED);
        assertThat(events).hasSize(1);
    }

    @Test
    void everyStateMayFailAndFailedMayReloadOrUnload() {
        for (PluginState s : PluginState.values()) {
            assertThat(LifecycleTransitions.allowed(s, FAILED)).as(s + " -> FAILED").isTrue();
        }
        assertThat(LifecycleTransitions.targets(FAILED)).containsExactlyInAnyOrder(LOADED, UNLOADED, FAILED);
    }

    @Test
    void stoppedCanStartAgainOrUnload() {
        assertThat(LifecycleTransitions.targets(STOPPED)).containsExactlyInAnyOrder(LOADED, UNLOADED, FAILED);
        assertThat(LifecycleTransitions.allowed(STOPPED, ACTIVE)).isFalse();
    }

    @Test
    void transitionIfOnlyMovesFromExpectedState() {
        assertThat(lifecycle.transitionIf(ACTIVE, PAUSED, "pause")).isFalse();
        assertThat(lifecycle.transitionIf(DISCOVERED, LOADED, "load")).isTrue();
        assertThat(lifecycle.state()).isEqualTo(LOADED);
    }
}
