package io.apexagent.host.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.apexagent.plugin.PluginStateException;

class StateMigratorTest {

    @Test
    void runsEveryStepInOrder() {
        List<Integer> steps = new ArrayList<>();
        Map<String, Object> out = StateMigrator.migrate("p", 1, 4, Map.of("v", 1), (from, data) -> {
            steps.add(from);
            return Map.of("v", ((Integer) data.get("v")) + 1);
        });
        assertThat(steps).containsExactly(1, 2, 3);
        assertThat(out).isEqualTo(Map.of("v", 4));
    }

    @Test
    void aFailingOrNullStepNamesTheStep() {
        assertThatThrownBy(() -> StateMigrator.migrate("p", 1, 3, Map.of(), (from, data) -> {
            if (from == 2) {
                throw new IllegalArgumentException("bad layout");
            }
            return data;
        })).isInstanceOf(PluginStateException.class)
                .hasMessage("migration of the state of plugin p from schema version 1 to 3 failed at step 2→3: "
                        + "IllegalArgumentException: bad layout; the stored state (version 1) is left intact");
        assertThatThrownBy(() -> StateMigrator.migrate("p", 1, 2, Map.of(), (from, data) -> null))
                .hasMessageContaining("migrate(1, data) returned null");
    }
}
