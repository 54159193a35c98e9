package io.apexagent.host.plugin.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.apexagent.plugin.PluginConfigurationException;

class PluginVersionsTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "1.2.3 ; ^1.0.0 ; true", "2.0.0 ; ^1.0.0 ; false", "1.2.9 ; ~1.2.0 ; true", "1.3.0 ; ~1.2 ; false",
            "1.5.0 ; >=1.0.0 <2.0.0 ; true", "1.9.9 ; 1.x ; true", "2.0.0 ; 1.x ; false", "5.0.0 ; x ; true",
            "1.5.0 ; 1.0.0 - 2.0.0 ; true", "2.0.1 ; 1.0.0 - 2.0.0 ; false", "3.1.0 ; ^1 || ^3 ; true",
            "2.1.0 ; ^1 || ^3 ; false", "0.2.5 ; ^0.2.0 ; true", "0.3.0 ; ^0.2.0 ; false", "7.0.0 ; * ; true",
            "2.0.0-beta.1 ; ^1.0.0 ; false", "1.0.0 ; >= 1.0 ; true"})
    void satisfiesNpmStyleRanges(String version, String range, boolean expected) {
        assertThat(PluginVersions.satisfies(version, range)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo", "^^1", "1.2.3 || foo", ">=1.0.0 foo", ">=", "", "   ", "1.0.0 -"})
    void rejectsInvalidRanges(String range) {
        assertThat(PluginVersions.isValidRange(range)).isFalse();
        assertThatThrownBy(() -> PluginVersions.range(range)).isInstanceOf(PluginConfigurationException.class)
                .hasMessageContaining("expected an npm-style range");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0", "one", "1.0.0.0", "01.0.0", ""})
    void rejectsInvalidVersions(String version) {
        assertThat(PluginVersions.isValid(version)).isFalse();
        assertThatThrownBy(() -> PluginVersions.parse(version)).isInstanceOf(PluginConfigurationException.class)
                .hasMessageContaining("expected MAJOR.MINOR.PATCH");
    }

    @Test
    void comparesBySemverPrecedence() {
        assertThat(PluginVersions.compare("1.10.0", "1.9.0")).isPositive();
        assertThat(PluginVersions.compare("1.0.0-rc.1", "1.0.0")).isNegative();
        assertThat(List.of("1.10.0", "1.2.0", "1.0.0-rc.1").stream().sorted(PluginVersions.ascending()).toList())
                .containsExactly("1.0.0-rc.1", "1.2.0", "1.10.0");
    }

    @Test
    void picksHighestSatisfyingOrThePin() {
        List<String> versions = List.of("1.0.0", "1.4.2", "1.10.0", "2.0.0");

        assertThat(PluginVersions.highestSatisfying(versions, "^1.0.0")).contains("1.10.0");
        assertThat(PluginVersions.highestSatisfying(versions, "^3.0.0")).isEmpty();
        assertThat(PluginVersions.select(versions, "^1.0.0", Optional.of("1.4.2"))).contains("1.4.2");
        assertThat(PluginVersions.select(versions, "^1.0.0", Optional.of("2.0.0"))).isEmpty();
        assertThat(PluginVersions.select(versions, "*", Optional.empty())).contains("2.0.0");
    }
}
