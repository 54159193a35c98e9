package io.apexagent.host.plugin.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.testing.TestPlugins;

class PluginUnloadTest {

    private static final int CYCLES = 50;

    @TempDir
    Path dir;

    @Test
    void unloadedPluginsLeaveNoClassLoaderBehind() {
        PluginManifest manifest = TestPlugins.plugin("echo").action("echo").javaSourcesFrom("echo")
                .className("test.echo.EchoPlugin").buildJar().writeTo(dir).manifest();
        PluginLoader loader = new PluginLoader(new JavaSourceCompiler(dir.resolve("cache")));

        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        for (int i = 0; i < CYCLES; i++) {
            loaders.add(loadCallAndUnload(loader, manifest, i));
        }

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            System.gc();
            return loaders.stream().allMatch(ref -> ref.get() == null);
        });
    }

    /** In its own frame, so that no local variable of the test method keeps the plugin reachable. */
    private static WeakReference<ClassLoader> loadCallAndUnload(PluginLoader loader, PluginManifest manifest, int i) {
        try (LoadedPlugin plugin = loader.load(manifest)) {
            Object answer = PluginCalls.uni(plugin, p -> p.executeAction("echo", Map.of("text", i)))
                    .await().atMost(Duration.ofSeconds(10));
            assertThat(answer).isEqualTo("echo: " + i);
            return new WeakReference<>(plugin.classLoader());
        }
    }
}
