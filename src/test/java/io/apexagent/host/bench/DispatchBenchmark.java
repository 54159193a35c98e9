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
 * dispatch ({@link ActionDispatcher#execute} on a loaded plugin with its own workers) as configured by default,
 * with and without budgets; the dispatch with idle workers that spin before they park; the dispatch with every
 * result handed to a host thread (as before results continued on the worker); and the two thread hops alone
 * (caller → plugin worker → host executor) that such a dispatch makes. Every row ends when the result is
 * available to the calling thread. Run with {@code deploy/local/bench-dispatch.sh}; not part of the test suite.
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
    /** Idle workers park at once or spin first, as {@code apex.plugins.worker-spin-micros} says by default. */
    static final Duration DEFAULT_SPIN =
            Duration.ofNanos(ApexConfigs.of(Map.of()).plugins().workerSpinMicros() * 1_000L);
    static final Duration SPIN = Duration.ofNanos(50_000);

    private ManagedPlugin plain;
    private ManagedPlugin budgeted;
    private ManagedPlugin spinning;
    private ActionDispatcher dispatcher;
    private ActionDispatcher viaHostThread;
    private CallLimits limits;
    private Executor hostExecutor;

    @Setup(Level.Trial)
    public void load() throws IOException {
        dir = Files.createTempDirectory("dispatch-bench");
        PluginLoader loader = new PluginLoader(new JavaSourceCompiler(dir.resolve("cache")));
        plain = managed(loader, "bench-noop", Map.of(), DEFAULT_SPIN);
        budgeted = managed(loader, "bench-budgeted", Map.of("cpu_ms", 60_000, "alloc_mb", 4096), DEFAULT_SPIN);
        spinning = managed(loader, "bench-spinning", Map.of(), SPIN);
        limits = new CallLimits(ApexConfigs.of(Map.of()).plugins(), (plugin, reason) -> {
            throw new IllegalStateException("a no-op must never open " + plugin.id() + "'s breaker: " + reason);
        });
        hostExecutor = Infrastructure.getDefaultWorkerPool();
        dispatcher = new ActionDispatcher(new ObjectMapper(), Duration.ofSeconds(30),
                Infrastructure.getDefaultWorkerPool(), limits);
        viaHostThread = new ActionDispatcher(new ObjectMapper(), Duration.ofSeconds(30),
                Infrastructure.getDefaultWorkerPool(), limits, false);
    }

    @TearDown(Level.Trial)
    public void close() {
        limits.close();
        for (ManagedPlugin p : List.of(plain, budgeted, spinning)) {
            p.workers().close();
            p.loaded().close();
        }
    }

    /** The plugin's method called on the caller's thread: the baseline. */
    @Benchmark
    public Object direct() {
        return plain.instance().executeAction("noop", PARAMS).await().indefinitely();
    }

    /** The host's dispatch as configured by default: checks, plugin workers, class loader swap, time limit. */
    @Benchmark
    public Object dispatch() {
        return dispatch(dispatcher, plain);
    }

    /** The same with CPU and allocation budgets: each call is metered and watched. */
    @Benchmark
    public Object dispatchWithBudgets() {
        return dispatch(dispatcher, budgeted);
    }

    /** The dispatch with idle workers that spin for 50 µs before they park ({@code worker-spin-micros=50}). */
    @Benchmark
    public Object dispatchSpinningWorkers() {
        return dispatch(dispatcher, spinning);
    }

    /** The dispatch with every result handed to a host thread, as before results continued on the worker. */
    @Benchmark
    public Object dispatchViaHostThread() {
        return dispatch(viaHostThread, plain);
    }

    /** Only the two hops of {@link #dispatchViaHostThread()}: onto the plugin's worker and back onto a host thread. */
    @Benchmark
    public Object hopsOnly() {
        return Uni.createFrom().item(PARAMS).runSubscriptionOn(plain.workers()).emitOn(hostExecutor)
                .await().indefinitely();
    }

    private static Object dispatch(ActionDispatcher through, ManagedPlugin plugin) {
        if (!plugin.calls().tryEnter()) {
            throw new IllegalStateException(plugin + " refused a call");
        }
        return through.execute(plugin, "noop", PARAMS).await().indefinitely();
    }

    private ManagedPlugin managed(PluginLoader loader, String id, Map<String, Object> limits, Duration spin) {
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
                new PluginWorkers(id, manifest.version(), 8, 256, spin));
        plugin.loaded(loaded);
        return plugin;
    }
}
