package io.apexagent.host.plugin.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.apexagent.host.bench.ProcessRoundTripBenchmark;
import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.security.OperatorPolicy;
import io.apexagent.host.security.PluginGrants;
import io.apexagent.host.testing.ApexConfigs;
import io.apexagent.host.testing.TestManifests;

class ChildCommandTest {

    @Test
    void javaChildGetsTheManifestHeapAndAClassPathOfRealPaths() {
        ChildCommand.Spec spec = ChildCommand.java(manifest("\"limits\":{\"memory_mb\":96},\"permissions\":[\"network_access\"]"),
                List.of(Path.of("/plugins/x/classes")), ProcessRoundTripBenchmark.defaults());
        List<String> cmd = spec.command();
        assertThat(cmd.get(0)).endsWith("/bin/java"); // network_access: no namespace wrapper
        assertThat(cmd).contains("-Xmx96m", "io.apexagent.host.plugin.process.child.ChildMain", "proc.Main",
                "/plugins/x/classes");
        String classPath = cmd.get(cmd.indexOf("-cp") + 1);
        assertThat(classPath.split(java.io.File.pathSeparator)).allSatisfy(p -> assertThat(Path.of(p)).exists());
        assertThat(classPath).contains("mutiny").contains("jackson-databind");
    }

    @Test
    void pythonChildWithoutNetworkAccessRunsWithoutNetworkAndWithItsAddressSpaceLimit() {
        ChildCommand.Spec spec = ChildCommand.python(manifest("\"permissions\":[]"), Path.of("/plugins/x/main.py"),
                Path.of("/sdk"), ProcessRoundTripBenchmark.defaults());
        assertThat(spec.command()).startsWith("unshare", "-rn", "python3", "-u", "-m", "apexagent_plugin");
        assertThat(spec.environment()).containsEntry("APEX_LIMIT_AS_MB", "1024").containsEntry("PYTHONPATH", "/sdk");
    }

    @Test
    void childWithNetworkAccessLimitedToSomeHostsRunsWithoutNetworkOfItsOwn() {
        PluginManifest networked = manifest("\"permissions\":[\"network_access\"]");
        Path main = Path.of("/plugins/x/main.py");
        assertThat(ChildCommand.python(networked, main, Path.of("/sdk"), ProcessRoundTripBenchmark.defaults())
                .command()).startsWith("python3");
        try {
            PluginGrants.usePolicy(OperatorPolicy.of(ApexConfigs.of(Map.of(
                    "apex.security.policy.\"x\".allowed-hosts", "api.example.com")).security().policy()));
            // its only network is context.http(), which the host checks against the allowed hosts
            assertThat(ChildCommand.python(networked, main, Path.of("/sdk"), ProcessRoundTripBenchmark.defaults())
                    .command()).startsWith("unshare", "-rn", "python3");
            assertThat(ChildCommand.java(networked, List.of(Path.of("/plugins/x/classes")),
                    ProcessRoundTripBenchmark.defaults()).command()).startsWith("unshare", "-rn");
        } finally {
            PluginGrants.usePolicy(OperatorPolicy.NONE);
        }
    }

    @Test
    void networkAccessTheOperatorDeniesIsNoNetwork() {
        PluginManifest networked = manifest("\"permissions\":[\"network_access\"]");
        try {
            PluginGrants.usePolicy(OperatorPolicy.of(ApexConfigs.of(Map.of(
                    "apex.security.policy.\"x\".deny", "network_access")).security().policy()));
            assertThat(ChildCommand.python(networked, Path.of("/plugins/x/main.py"), Path.of("/sdk"),
                    ProcessRoundTripBenchmark.defaults()).command()).startsWith("unshare", "-rn", "python3");
        } finally {
            PluginGrants.usePolicy(OperatorPolicy.NONE);
        }
    }

    private static PluginManifest manifest(String extra) {
        return TestManifests.toRecord(Path.of("/plugins/x"), "{\"id\":\"x\",\"name\":\"x\",\"version\":\"1.0.0\","
                + "\"main_module\":\"main.py\",\"class_name\":\"proc.Main\",\"isolation\":\"process\"," + extra
                + ",\"actions\":[]}");
    }
}
