package io.apexagent.host.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.plugin.loader.JavaSourceCompiler;
import io.apexagent.host.plugin.loader.LoadedPlugin;
import io.apexagent.host.plugin.process.ProcessPlugins;
import io.apexagent.host.testing.TestManifests;
import io.apexagent.plugin.BasePlugin;

/**
 * Round-trip latency of a no-op action out of process: the host's plugin proxy sends {@code execute} to a
 * child (a JVM, then Python) and waits for its {@code result}, one call at a time, after a warm-up. Reports
 * p50 / p90 / p99 / max in microseconds. A benchmark, not a test: {@code deploy/local/bench-process.sh}.
 * Arguments: {@code calls=20000 warmup=20000}.
 */
public final class ProcessRoundTripBenchmark {

    public static void main(String[] args) throws Exception {
        Map<String, Integer> options = Map.of("calls", 20_000, "warmup", 20_000);
        int calls = option(args, "calls", options);
        int warmup = option(args, "warmup", options);
        Path dir = Files.createTempDirectory("process-bench");
        ProcessPlugins processes = new ProcessPlugins(defaults(), dir.resolve("cache"),
                (manifest, reason) -> System.err.println("child of " + manifest.id() + " faulted: " + reason));

        PluginManifest java = manifest(dir, "noop-java", "src/Noop.java", "bench.Noop", """
                package bench;
                import java.util.Map;
                import io.apexagent.plugin.AbstractPlugin;
                import io.smallrye.mutiny.Uni;
                public class Noop extends AbstractPlugin {
                    @Override
                    public Uni<Object> executeAction(String action, Map<String, Object> params) {
                        return Uni.createFrom().item(params);
                    }
                }
                """);
        Path classes = new JavaSourceCompiler(dir.resolve("compiled")).compile(java).classesDir();
        run("child JVM", java, processes.start(java, java.directory().resolve(java.mainModule()), List.of(classes)),
                calls, warmup);

        PluginManifest python = manifest(dir, "noop-python", "noop.py", "Noop", """
                from apexagent_plugin import Plugin, action
                class Noop(Plugin):
                    @action("noop")
                    def noop(self, params):
                        return params
                """);
        run("Python", python, processes.start(python, python.directory().resolve(python.mainModule()), List.of()),
                calls, warmup);
        System.exit(0); // Mutiny's timer threads (initialize timeout) would keep the JVM alive
    }

    private static void run(String label, PluginManifest manifest, LoadedPlugin loaded, int calls, int warmup) {
        try (loaded) {
            BasePlugin plugin = loaded.plugin();
            plugin.initialize(StubContext.of(manifest)).await().atMost(Duration.ofSeconds(30));
            Map<String, Object> params = Map.of();
            for (int i = 0; i < warmup; i++) {
                plugin.executeAction("noop", params).await().indefinitely();
            }
            long[] nanos = new long[calls];
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                plugin.executeAction("noop", params).await().indefinitely();
                nanos[i] = System.nanoTime() - t0;
            }
            long total = System.nanoTime() - start;
            Arrays.sort(nanos);
            System.out.printf("%-10s no-op round trip, %,d calls after %,d warm-up: p50 %.1f µs, p90 %.1f µs, "
                    + "p99 %.1f µs, max %.1f µs, %,.0f calls/s%n", label, calls, warmup, micros(nanos, 0.50),
                    micros(nanos, 0.90), micros(nanos, 0.99), nanos[calls - 1] / 1000.0, calls / (total / 1e9));
        }
    }

    private static double micros(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1000.0;
    }

    private static PluginManifest manifest(Path dir, String id, String module, String className, String code)
            throws java.io.IOException {
        Path folder = dir.resolve(id);
        Files.createDirectories(folder.resolve(module).getParent());
        Files.writeString(folder.resolve(module), code);
        return TestManifests.toRecord(folder, "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"version\":\"1.0.0\","
                + "\"main_module\":\"" + module + "\",\"class_name\":\"" + className + "\",\"isolation\":\"process\","
                + "\"permissions\":[],\"actions\":[{\"name\":\"noop\",\"parameters_schema\":{},\"returns_schema\":{}}]}");
    }

    private static int option(String[] args, String name, Map<String, Integer> defaults) {
        return Arrays.stream(args).filter(a -> a.startsWith(name + "=")).findFirst()
                .map(a -> Integer.parseInt(a.substring(name.length() + 1))).orElse(defaults.get(name));
    }

    /** The host's defaults, without a Quarkus configuration. */
    public static ApexConfig.Process defaults() {
        return new ApexConfig.Process() {
            public String python() {
                return "python3";
            }

            public int defaultMemoryMb() {
                return 256;
            }

            public int defaultPythonMemoryMb() {
                return 1024;
            }

            public int cpuSeconds() {
                return 0;
            }

            public Duration heartbeatInterval() {
                return Duration.ofSeconds(1);
            }

            public Duration heartbeatTimeout() {
                return Duration.ofSeconds(5);
            }

            public Duration initializeTimeout() {
                return Duration.ofSeconds(15);
            }

            public int maxLineBytes() {
                return 1 << 20;
            }

            public int streamBuffer() {
                return 1024;
            }

            public int maxChildCalls() {
                return 64;
            }

            public int maxReplyBytes() {
                return 1 << 20;
            }

            public boolean isolateNetwork() {
                return true;
            }
        };
    }
}
