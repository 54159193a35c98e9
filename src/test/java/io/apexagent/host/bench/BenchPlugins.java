package io.apexagent.host.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import io.apexagent.host.testing.TestJars;
import io.apexagent.host.testing.TestPlugins;

/**
 * Writes a set of generated plugin folders for the benchmark: plugin {@code i} has version {@code 1.<i mod 7>.0},
 * two actions, one permission, its own class and, from the second plugin on, a required dependency {@code ^1.0.0}
 * on plugin {@code (i - 1) / 2}: a binary tree, so dependency resolution and load order have real work. Ids are
 * scattered ({@code bench-<i * 7919 mod N>}), so that dependencies do not follow the folders' name order. Jar plugins are compiled by one javac run and packaged
 * one jar per plugin; source plugins are written as {@code .java} for the host to compile. Immutable.
 */
final class BenchPlugins {

    private static final int SCATTER = 7919;

    private final int count;

    /** @param count how many plugins a set has */
    BenchPlugins(int count) {
        this.count = count;
    }

    /** Writes {@code count} pre-compiled plugins ({@code <id>/<id>.jar}, the production form) under {@code parent}. */
    void writeJarPlugins(Path parent) {
        Map<String, String> sources = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            sources.put(className(i), source(i));
        }
        Map<String, Map<String, byte[]>> classesByPlugin = new TreeMap<>();
        TestJars.compile(sources, java.util.List.of()).forEach((file, bytes) -> classesByPlugin
                .computeIfAbsent(file.substring(0, file.lastIndexOf('/')), pkg -> new TreeMap<>()).put(file, bytes));
        for (int i = 0; i < count; i++) {
            String id = id(i);
            manifest(i).manifestField("main_module", id + ".jar").writeTo(parent);
            TestJars.writeJar(parent.resolve(id).resolve(id + ".jar"), classesByPlugin.get("bench/p" + number(i)));
        }
    }

    /** Writes {@code count} source plugins ({@code <id>/Plugin<i>.java}) under {@code parent}. */
    void writeSourcePlugins(Path parent) {
        for (int i = 0; i < count; i++) {
            manifest(i).javaSource(className(i), source(i)).writeTo(parent);
        }
    }

    private TestPlugins.Builder manifest(int i) {
        TestPlugins.Builder builder = TestPlugins.plugin(id(i))
                .version("1." + (i % 7) + ".0")
                .className(className(i))
                .action("ping")
                .action("echo")
                .permissions("event_publish");
        return i == 0 ? builder : builder.dependsOn(id((i - 1) / 2), "^1.0.0");
    }

    private String source(int i) {
        String n = number(i);
        return """
                package bench.p%1$s;

                import java.util.Map;

                import io.apexagent.plugin.AbstractPlugin;
                import io.smallrye.mutiny.Uni;

                public final class Plugin%1$s extends AbstractPlugin {
                    @Override
                    public Uni<Object> executeAction(String action, Map<String, Object> params) {
                        return "ping".equals(action) ? Uni.createFrom().item("pong %1$s")
                                : Uni.createFrom().item(params);
                    }
                }
                """.formatted(n);
    }

    private String id(int i) {
        return "bench-" + number(i);
    }

    private String className(int i) {
        return "bench.p" + number(i) + ".Plugin" + number(i);
    }

    /** A prime step modulo {@code count}: a bijection unless {@code count} is a multiple of 7919. */
    private String number(int i) {
        return String.format("%04d", (int) ((long) i * SCATTER % count));
    }
}
