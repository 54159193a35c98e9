package io.apexagent.host.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.plugin.Permission;

/** Reading the operator's policy: it only removes, and a bad entry names its key. */
class OperatorPolicyTest {

    @Test
    void deniedPermissionsAreRemovedAndNothingIsAdded() {
        OperatorPolicy policy = OperatorPolicy.of(Map.of("p", rules(List.of("network_access", "state_access"),
                List.of("cache"))));

        OperatorPolicy.Rules rules = policy.of("p");
        assertThat(rules.narrow(EnumSet.of(Permission.NETWORK_ACCESS, Permission.FILE_SYSTEM_READ)))
                .containsExactly(Permission.FILE_SYSTEM_READ);
        assertThat(rules.allowedPaths()).containsExactly("cache");
        assertThat(policy.of("other").narrow(EnumSet.of(Permission.NETWORK_ACCESS)))
                .containsExactly(Permission.NETWORK_ACCESS);
        assertThat(policy.of("other").narrow(EnumSet.noneOf(Permission.class))).isEmpty();
    }

    @Test
    void anUnknownPermissionOrAnEscapingPathIsNamed() {
        assertThatThrownBy(() -> OperatorPolicy.of(Map.of("p", rules(List.of("network"), List.of()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apex.security.policy.\"p\".deny names unknown permission 'network'")
                .hasMessageContaining("network_access");
        assertThatThrownBy(() -> OperatorPolicy.of(Map.of("p", rules(List.of(), List.of("../other")))))
                .hasMessageContaining("apex.security.policy.\"p\".allowed-paths entry '../other' must be a relative path");
        assertThatThrownBy(() -> OperatorPolicy.of(Map.of("p", rules(List.of(), List.of("/etc")))))
                .hasMessageContaining("entry '/etc'");
    }

    @Test
    void allowedHostsAreReadAndABadOneNamesItsKey() {
        assertThat(OperatorPolicy.of(Map.of("p", rules(List.of(), List.of(), List.of("*.example.com:443"))))
                .of("p").allowedHosts().describe()).containsExactly("*.example.com:443");
        assertThat(OperatorPolicy.of(Map.of()).of("p").allowedHosts().restricted()).isFalse();
        assertThatThrownBy(() -> OperatorPolicy.of(Map.of("p", rules(List.of(), List.of(), List.of("http://x")))))
                .hasMessageContaining("apex.security.policy.\"p\".allowed-hosts entry 'http://x' is not a host");
    }

    private static ApexConfig.PluginPolicy rules(List<String> deny, List<String> paths) {
        return rules(deny, paths, null);
    }

    private static ApexConfig.PluginPolicy rules(List<String> deny, List<String> paths, List<String> hosts) {
        return new ApexConfig.PluginPolicy() {
            @Override
            public Optional<List<String>> deny() {
                return Optional.of(deny);
            }

            @Override
            public Optional<List<String>> allowedPaths() {
                return Optional.of(paths);
            }

            @Override
            public Optional<List<String>> allowedHosts() {
                return Optional.ofNullable(hosts);
            }

            @Override
            public Optional<Boolean> internalAddresses() {
                return Optional.empty();
            }
        };
    }
}
