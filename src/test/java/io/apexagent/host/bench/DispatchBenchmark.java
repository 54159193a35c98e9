package io.apexagent.host.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.plugin.lifecycle.PluginLifecycle;
import io.apexagent.host.plugin.loader.JavaSourceCompiler;
import io.apexagent.host.plugin.loader.LoadedPlugin;
import io.apexagent.host.plugin.loader.PluginLoader;
import io.apexagent.host.plugin.runtime.ActionDispatcher;
import io.apexagent.host.plugin.runtime.CallLimits;
import io.apexagent.host.plugin.runtime.ManagedPlugin;
import io.apexagent.host.plugin.runtime.PluginWorkers;
import io.apexagent.host.testing.ApexConfigs;
import io.apexagent.host.testing.TestPlugins;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Round trip of a no-op action, caller to result: a direct call of the plugin's method against the host's
 * dispatch ({@link ActionDispatcher#execute} on a loaded plugin with its own workers), with and without
 * budgets, and the two thread hops alone (caller → plugin worker → host executor) that every dispatch makes.
 * Run with {@code deploy/local/bench-dispatch.sh}; not part of the test suite.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = "-Xmx1g")
public class DispatchBenchmark {

    static final Map<String, Object> PARAMS = Map.of();

    private Path dir;
    private ManagedPlugin plain;
    private ManagedPlugin budgeted;
    private ActionDispatcher dispatcher;
    private CallLimits limits;
    private Executor hostExecutor;

    @Setup(Level.Trial)
    public void load() throws IOException {
        dir = Files.createTempDirectory("dispatch-bench");
        PluginLoader loader = new PluginLoader(new JavaSourceCompiler(dir.resolve("cache")));
        plain = managed(loader, "bench-noop", Map.of());
        budgeted = managed(loader, "bench-budgeted", Map.of("cpu_ms", 60_000, "alloc_mb", 4096));
        limits = new CallLimits(ApexConfigs.of(Map.of()).plugins(), (plugin, reason) -> {
            throw new IllegalStateException("a no-op must never open " + plugin.id() + "'s breaker: " + reason);
        });
        hostExecutor = Infrastructure.getDefaultWorkerPool();
        dispatcher = new ActionDispatcher(new ObjectMapper(), Duration.ofSeconds(30),
                Infrastructure.getDefaultWorkerPool(), limits);
    }

    @TearDown(Level.Trial)
    public void close() {
        limits.close();
        for (ManagedPlugin p : List.of(plain, budgeted)) {
            p.workers().close();
            p.loaded().close();
        }
    }

    /** The plugin's method called on the caller's thread: the baseline. */
    @Benchmark
    public Object direct() {
        return plain.instance().executeAction("noop", PARAMS).await().indefinitely();
    }

    /** The host's dispatch: schema checks, plugin workers, class loader swap, time limit, host executor. */
    @Benchmark
    public Object dispatch() {
        return dispatch(plain);
    }

    /** The same with CPU and allocation budgets: each call is metered and watched. */
    @Benchmark
    public Object dispatchWithBudgets() {
        return dispatch(budgeted);
    }

    /** Only the two hops every dispatch makes: onto the plugin's worker and back onto a host thread. */
    @Benchmark
    public Object hopsOnly() {
        return Uni.createFrom().item(PARAMS).runSubscriptionOn(plain.workers()).emitOn(hostExecutor)
                .await().indefinitely();
    }

    private Object dispatch(ManagedPlugin plugin) {
        if (!plugin.calls().tryEnter()) {
            throw new IllegalStateException(plugin + " refused a call");
        }
        return dispatcher.execute(plugin, "noop", PARAMS).await().indefinitely();
    }

    private ManagedPlugin managed(PluginLoader loader, String id, Map<String, Object> limits) {
        String pkg = id.replace('-', '.');
        PluginManifest manifest = TestPlugins.plugin(id).action("noop").manifestField("limits", limits)
                .javaSource(pkg + ".NoopPlugin", """
                        package %s;
                        import java.util.Map;
                        import io.apexagent.plugin.AbstractPlugin;
                        import io.smallrye.mutiny.Uni;
                        public class NoopPlugin extends AbstractPlugin {
                            @Override
                            public Uni<Object> executeAction(String action, Map<String, Object> params) {
                                return Uni.createFrom().item(params);
                            }
                        }
                        """.formatted(pkg))
                .writeTo(dir).manifest();
        LoadedPlugin loaded = loader.load(manifest);
        loaded.plugin().initialize(StubContext.of(manifest)).await().atMost(Duration.ofSeconds(10));
        ManagedPlugin plugin = new ManagedPlugin(manifest,
                new PluginLifecycle(id, manifest.version(), "bench", event -> { }, Clock.systemUTC()),
                new PluginWorkers(id, manifest.version(), 8, 256));
        plugin.loaded(loaded);
        return plugin;
    }
}
