package io.apexagent.host.plugin.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.testing.ApexConfigs;
import io.apexagent.host.testing.TestManifests;

/** {@code apex.plugins.process.cpu-seconds}: the OS ends a child that burns more CPU time than that. */
class ChildCpuLimitTest {

    private static final int SIGXCPU = 24;
    private static final int SIGKILL = 9;

    @TempDir
    Path dir;

    private final ApexConfig.Process oneCpuSecond = ApexConfigs.of(Map.of("apex.plugins.process.cpu-seconds", "1"))
            .plugins().process();

    @Test
    void pythonChildSpinningPastItsCpuSecondsIsEndedByTheOs() throws Exception {
        Path main = dir.resolve("spin.py");
        Files.writeString(main, "while True:\n    pass\n"); // spins at import, before any protocol
        ChildCommand.Spec spec = ChildCommand.python(manifest("\"permissions\":[\"network_access\"]"), main,
                new PythonSdk(dir.resolve("cache")).directory(), oneCpuSecond);
        ProcessBuilder builder = new ProcessBuilder(spec.command()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(spec.environment());
        Process child = builder.start();
        try {
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child ended on its own").isTrue();
            assertThat(child.exitValue()).as("ended by SIGXCPU (soft limit) or SIGKILL (hard limit)")
                    .isIn(128 + SIGXCPU, 128 + SIGKILL);
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void childJvmRunsUnderPrlimit() {
        ChildCommand.Spec spec = ChildCommand.java(manifest("\"permissions\":[\"network_access\"]"),
                List.of(dir.resolve("classes")), oneCpuSecond);
        assertThat(spec.command()).startsWith("prlimit", "--cpu=1", "--");
    }

    private static PluginManifest manifest(String extra) {
        return TestManifests.toRecord(Path.of("/plugins/spin"), "{\"id\":\"spin\",\"name\":\"spin\",\"version\":\"1.0.0\","
                + "\"main_module\":\"spin.py\",\"class_name\":\"proc.Main\",\"isolation\":\"process\"," + extra
                + ",\"actions\":[]}");
    }
}
