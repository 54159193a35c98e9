package io.apexagent.host.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.apexagent.host.plugin.discovery.DependencyResolver;
import io.apexagent.host.plugin.discovery.ManifestParser;
import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.plugin.discovery.PluginScanner;
import io.apexagent.host.plugin.loader.JavaSourceCompiler;
import io.apexagent.host.plugin.loader.LoadedPlugin;
import io.apexagent.host.plugin.loader.PluginLoader;

/**
 * The source-plugin part of the benchmark: loads N {@code .java} plugins with an empty compile cache (javac
 * runs once per plugin), again with a new compiler over the filled cache (as after a restart: the SDK digest
 * and each plugin's source hash are recomputed), and once more with the same compiler.
 */
final class SourcePluginRun {

    private SourcePluginRun() {
    }

    static void run(Path root, int count) {
        Path dir = root.resolve("sources");
        Path cache = root.resolve("source-cache");
        new BenchPlugins(count).writeSourcePlugins(dir);
        List<PluginManifest> order = new DependencyResolver()
                .resolve(new PluginScanner(new ManifestParser()).scan(dir).manifests()).loadOrder();
        if (order.size() != count) {
            throw new IllegalStateException("only " + order.size() + " of " + count + " source plugins resolved");
        }
        long cold = loadAll(new PluginLoader(new JavaSourceCompiler(cache)), order);
        long restart = loadAll(new PluginLoader(new JavaSourceCompiler(cache)), order);
        PluginLoader same = new PluginLoader(new JavaSourceCompiler(cache));
        loadAll(same, order);
        long cached = loadAll(same, order);
        System.out.printf("%d source plugins (.java main module), load only%n", count);
        System.out.printf(Locale.ROOT, "| %-40s | %10s | %12s |%n", "case", "total ms", "per plugin ms");
        System.out.printf("|%s|%s|%s|%n", "-".repeat(42), "-".repeat(12), "-".repeat(15));
        line("cold: empty cache, javac per plugin", cold, count);
        line("cached: new compiler (after restart)", restart, count);
        line("cached: same compiler", cached, count);
        System.out.println();
    }

    private static void line(String what, long nanos, int count) {
        System.out.printf(Locale.ROOT, "| %-40s | %10.0f | %12.2f |%n", what, nanos / 1e6, nanos / 1e6 / count);
    }

    private static long loadAll(PluginLoader loader, List<PluginManifest> order) {
        List<LoadedPlugin> loaded = new ArrayList<>(order.size());
        long start = System.nanoTime();
        for (PluginManifest manifest : order) {
            loaded.add(loader.load(manifest));
        }
        long nanos = System.nanoTime() - start;
        loaded.forEach(LoadedPlugin::close);
        return nanos;
    }
}
