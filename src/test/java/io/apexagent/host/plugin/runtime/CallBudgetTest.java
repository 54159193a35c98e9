package io.apexagent.host.plugin.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.testing.ApexConfigs;
import io.apexagent.host.testing.TestPlugins;

/** Where a budget comes from: operator override, then manifest, then host default. */
class CallBudgetTest {

    @TempDir
    Path dir;

    @Test
    void manifestBudgetsApplyWhenNoOverrideIsSet() {
        CallBudget budget = CallBudget.of(manifest("b-manifest", Map.of("cpu_ms", 150, "alloc_mb", 64)),
                limits(Map.of("apex.plugins.limits.default-cpu-ms", "999")));
        assertThat(budget).isEqualTo(new CallBudget(150, 64));
        assertThat(budget.limited()).isTrue();
    }

    @Test
    void hostDefaultsFillWhatTheManifestLeavesOut() {
        CallBudget budget = CallBudget.of(manifest("b-default", Map.of("cpu_ms", 150)),
                limits(Map.of("apex.plugins.limits.default-alloc-mb", "128")));
        assertThat(budget).isEqualTo(new CallBudget(150, 128));
    }

    @Test
    void operatorOverrideWinsOverTheManifestEvenWhenItRaisesTheLimit() {
        CallBudget budget = CallBudget.of(manifest("b-over", Map.of("cpu_ms", 150, "alloc_mb", 64)),
                limits(Map.of("apex.plugins.limits.per-plugin.\"b-over\".cpu-ms", "2000")));
        assertThat(budget).isEqualTo(new CallBudget(2000, 64));
    }

    @Test
    void noBudgetAnywhereMeansCallsAreNotMeasured() {
        CallBudget budget = CallBudget.of(manifest("b-none", Map.of()), limits(Map.of()));
        assertThat(budget).isEqualTo(CallBudget.NONE);
        assertThat(budget.limited()).isFalse();
    }

    private PluginManifest manifest(String id, Map<String, Object> limits) {
        return TestPlugins.plugin(id).action("go").manifestField("limits", limits).writeTo(dir).manifest();
    }

    private static ApexConfig.Limits limits(Map<String, String> values) {
        return ApexConfigs.of(values).plugins().limits();
    }
}
