package io.apexagent.host.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.apexagent.host.plugin.discovery.DependencyResolver;
import io.apexagent.host.plugin.discovery.DiscoveryResult;
import io.apexagent.host.plugin.discovery.ManifestParser;
import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.plugin.discovery.PluginScanner;
import io.apexagent.host.plugin.discovery.ResolutionResult;
import io.apexagent.host.plugin.loader.JavaSourceCompiler;
import io.apexagent.host.plugin.loader.LoadedPlugin;
import io.apexagent.host.plugin.loader.PluginCalls;
import io.apexagent.host.plugin.loader.PluginLoader;
import io.smallrye.mutiny.Uni;

/**
 * Benchmark of plugin discovery and loading at scale (a benchmark, not a test: it is not run by
 * {@code ./mvnw verify}). Generates N plugins (default 1,000) as pre-compiled jars, then, per run, times
 * discovery (scan + JSON parse + schema validation + checks, then dependency resolution) and loading (one class
 * loader per plugin, class load and link, instantiation, a no-op {@code initialize} with a stub context), and
 * reads the settled heap before and after to give the heap retained per loaded idle plugin. A second part
 * loads source plugins to show the compile cost, cold and cached. Run it with {@code deploy/local/bench.sh}
 * (arguments {@code plugins=1000 runs=5 warmup=2 sources=100}); see README "Benchmarks".
 */
public final class PluginLoadBenchmark {

    private static final double MS = 1e6;
    private static final double KB = 1024;
    private static final double MB = 1024 * 1024;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private PluginLoadBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, Integer> options = options(args);
        int plugins = options.get("plugins");
        Path root = Files.createTempDirectory("apex-plugin-bench");
        try {
            System.out.printf("Plugin load benchmark, %s, %d cores, %s %s, max heap %d MB%n", LocalDate.now(),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                    System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
            long start = System.nanoTime();
            new BenchPlugins(plugins).writeJarPlugins(root.resolve("jars"));
            System.out.printf("generated %d jar plugins in %.1f s%n%n", plugins, (System.nanoTime() - start) / 1e9);
            runJarPlugins(root, plugins, options.get("runs"), options.get("warmup"));
            if (options.get("sources") > 0) {
                SourcePluginRun.run(root, options.get("sources"));
            }
        } finally {
            BenchFiles.delete(root);
        }
    }

    private static void runJarPlugins(Path root, int plugins, int runs, int warmup) {
        // The host has Mutiny and context propagation running long before plugins load; a plain JVM has not.
        Uni.createFrom().item("warm").await().indefinitely();
        List<JarRun> all = new ArrayList<>();
        for (int i = 0; i < warmup + runs; i++) {
            all.add(runOnce(root.resolve("jars"), root.resolve("cache"), plugins));
        }
        System.out.printf("%d jar plugins; %d warm-up run(s), then median/min/max of %d measured runs%n", plugins,
                warmup, runs);
        System.out.print(new Figures<>(all, warmup)
                .row("parser setup (schemas) ms", "%.0f", r -> r.setupNanos / MS)
                .row("discovery: scan+parse+validate ms", "%.0f", r -> r.scanNanos / MS)
                .row("discovery: dependency resolution ms", "%.0f", r -> r.resolveNanos / MS)
                .row("load: class loader+class+instance ms", "%.0f", r -> r.loadNanos / MS)
                .row("load: initialize (no-op) ms", "%.0f", r -> r.initNanos / MS)
                .row("TOTAL setup + discovery + load ms", "%.0f", r -> r.totalNanos() / MS)
                .row("  CPU time of that (this thread) ms", "%.0f", r -> r.cpuNanos / MS)
                .row("heap/plugin after discovery KB", "%.1f", r -> r.discoveryHeap / KB / plugins)
                .row("heap/plugin added by load KB", "%.1f", r -> r.loadHeap / KB / plugins)
                .row("heap/plugin loaded idle (total) KB", "%.1f", r -> (r.discoveryHeap + r.loadHeap) / KB / plugins)
                .row("metaspace/plugin KB", "%.1f", r -> r.metaspace / KB / plugins)
                .row("plugin class loaders open", "%.0f", r -> r.loaders)
                .row("classes loaded (JVM total)", "%.0f", r -> r.classes)
                .row("RSS with all loaded MB", "%.0f", r -> r.rss / MB));
        System.out.println();
    }

    private static JarRun runOnce(Path pluginsDir, Path cacheDir, int expected) {
        JarRun run = new JarRun();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        PluginScanner scanner = new PluginScanner(new ManifestParser());
        DependencyResolver resolver = new DependencyResolver();
        PluginLoader loader = new PluginLoader(new JavaSourceCompiler(cacheDir));
        run.setupNanos = System.nanoTime() - t0;
        long cpuSetup = THREADS.getCurrentThreadCpuTime() - cpu0;

        HeapProbe.Reading empty = HeapProbe.settle();
        long cpu1 = THREADS.getCurrentThreadCpuTime();
        long t1 = System.nanoTime();
        DiscoveryResult found = scanner.scan(pluginsDir);
        long t2 = System.nanoTime();
        ResolutionResult resolution = resolver.resolve(found.manifests());
        long t3 = System.nanoTime();
        long cpuDiscovery = THREADS.getCurrentThreadCpuTime() - cpu1;
        requireComplete(found, resolution, expected);
        run.scanNanos = t2 - t1;
        run.resolveNanos = t3 - t2;

        HeapProbe.Reading discovered = HeapProbe.settle();
        List<LoadedPlugin> loaded = new ArrayList<>(expected);
        long cpu4 = THREADS.getCurrentThreadCpuTime();
        long t4 = System.nanoTime();
        for (PluginManifest manifest : resolution.loadOrder()) {
            loaded.add(loader.load(manifest));
        }
        long t5 = System.nanoTime();
        for (LoadedPlugin plugin : loaded) {
            StubContext context = StubContext.of(plugin.manifest());
            PluginCalls.uni(plugin, p -> p.initialize(context)).await().indefinitely();
        }
        long t6 = System.nanoTime();
        run.cpuNanos = cpuSetup + cpuDiscovery + THREADS.getCurrentThreadCpuTime() - cpu4;
        run.loadNanos = t5 - t4;
        run.initNanos = t6 - t5;

        HeapProbe.Reading full = HeapProbe.settle();
        run.discoveryHeap = discovered.heapUsed() - empty.heapUsed();
        run.loadHeap = full.heapUsed() - discovered.heapUsed();
        run.metaspace = full.metaspaceUsed() - discovered.metaspaceUsed();
        run.classes = full.loadedClasses();
        run.rss = full.rss();
        run.loaders = loaded.stream().map(LoadedPlugin::classLoader).distinct().count();
        Reference.reachabilityFence(scanner);
        Reference.reachabilityFence(loader);
        loaded.forEach(LoadedPlugin::close);
        return run;
    }

    private static void requireComplete(DiscoveryResult found, ResolutionResult resolution, int expected) {
        if (!found.isClean() || !resolution.isComplete() || resolution.loadOrder().size() != expected) {
            throw new IllegalStateException("benchmark plugins did not all resolve: discovery failures "
                    + found.failures() + ", resolution " + resolution);
        }
    }

    private static Map<String, Integer> options(String[] args) {
        Map<String, Integer> options = new HashMap<>(Map.of("plugins", 1000, "runs", 5, "warmup", 2, "sources", 100));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2 || !options.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'; expected any of "
                        + options.keySet() + " as key=number, e.g. plugins=1000");
            }
            options.put(kv[0], Integer.parseInt(kv[1]));
        }
        return options;
    }

    /** Figures of one run over the jar plugins. */
    private static final class JarRun {
        long setupNanos;
        long scanNanos;
        long resolveNanos;
        long loadNanos;
        long initNanos;
        long discoveryHeap;
        long loadHeap;
        long metaspace;
        long classes;
        long loaders;
        long rss;
        long cpuNanos;

        long totalNanos() {
            return setupNanos + scanNanos + resolveNanos + loadNanos + initNanos;
        }
    }
}
