package io.apexagent.host.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.testing.ApexConfigs;
import io.apexagent.host.testing.TestPlugins;
import io.apexagent.plugin.PluginSecurityException;

/** Code the scan cannot read (Python) is refused when the operator limits its network to some hosts. */
class HostPluginCodeVerifierTest {

    @TempDir
    Path dir;

    private final HostPluginCodeVerifier verifier = new HostPluginCodeVerifier(
            new SignatureVerifier(List.of(), SignatureMode.OPTIONAL));

    @AfterEach
    void noPolicy() {
        PluginGrants.usePolicy(OperatorPolicy.NONE);
    }

    @Test
    void aPythonPluginWithNetworkAccessIsRefusedUnderAllowedHosts() {
        PluginManifest python = TestPlugins.plugin("py-net").permissions("network_access")
                .manifestField("main_module", "plugin.py").manifestField("class_name", "Plugin")
                .file("plugin.py", "# a plugin\n").writeTo(dir).manifest();

        assertThatCode(() -> verifier.verifyFolder(python)).doesNotThrowAnyException();

        PluginGrants.usePolicy(OperatorPolicy.of(ApexConfigs.of(Map.of(
                "apex.security.policy.\"py-net\".allowed-hosts", "api.example.com")).security().policy()));
        assertThatThrownBy(() -> verifier.verifyFolder(python)).isInstanceOf(PluginSecurityException.class)
                .hasMessageContaining("plugin py-net is refused: it is Python with network_access")
                .hasMessageContaining("apex.security.policy.\"py-net\".allowed-hosts");
    }
}
