package io.apexagent.host.plugin.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semver4j.Semver;

import io.apexagent.plugin.BasePlugin;
import io.apexagent.host.testing.TestJars;
import io.smallrye.mutiny.Uni;

class PluginClassLoaderTest {

    private static final ClassLoader HOST = PluginClassLoaderTest.class.getClassLoader();

    @TempDir
    Path dir;

    @Test
    void sdkMutinyAndJdkComeFromTheHostSoTypesAreShared() throws Exception {
        try (PluginClassLoader loader = new PluginClassLoader("p", new URL[0], HOST)) {
            assertThat(loader.loadClass(BasePlugin.class.getName())).isSameAs(BasePlugin.class);
            assertThat(loader.loadClass(Uni.class.getName())).isSameAs(Uni.class);
            assertThat(loader.loadClass("java.util.List")).isSameAs(java.util.List.class);
            assertThat(loader.loadClass("javax.tools.ToolProvider")).isSameAs(javax.tools.ToolProvider.class);
            // JDK internals resolve through the platform parent without any host allow-list entry.
            assertThat(loader.loadClass("jdk.jfr.Event")).isSameAs(Class.forName("jdk.jfr.Event"));
        }
    }

    @Test
    void everyOtherHostClassIsInvisible() throws Exception {
        try (PluginClassLoader loader = new PluginClassLoader("p", new URL[0], HOST)) {
            assertThat(HOST.loadClass("com.fasterxml.jackson.databind.ObjectMapper")).isNotNull();
            for (String hidden : new String[] {"com.fasterxml.jackson.databind.ObjectMapper",
                    "io.quarkus.runtime.LaunchMode", PluginLoader.class.getName(), Semver.class.getName()}) {
                assertThatThrownBy(() -> loader.loadClass(hidden)).isInstanceOf(ClassNotFoundException.class);
            }
            assertThat(loader.getResource("com/fasterxml/jackson/databind/ObjectMapper.class")).isNull();
            assertThat(loader.getResource("application.properties")).isNull();
            assertThat(Collections.list(loader.getResources("META-INF/services/io.smallrye.config.ConfigSourceProvider")))
                    .isEmpty();
            assertThat(loader.getResource("io/apexagent/plugin/BasePlugin.class")).isNotNull();
            assertThat(loader.getResource("java/lang/Object.class")).isNotNull();
        }
    }

    @Test
    void pluginClassesAndResourcesWinOverTheHostsCopies() throws Exception {
        Path semver = Path.of(Semver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path ownResource = TestJars.writeJar(dir.resolve("own.jar"),
                Map.of("io/apexagent/plugin/notes.txt", "plugin's".getBytes(), "config.txt", "mine".getBytes()));
        try (PluginClassLoader loader = new PluginClassLoader("p",
                new URL[] {semver.toUri().toURL(), ownResource.toUri().toURL()}, HOST)) {
            Class<?> own = loader.loadClass(Semver.class.getName());
            assertThat(own).isNotSameAs(Semver.class);
            assertThat(own.getClassLoader()).isSameAs(loader);
            assertThat(loader.loadClass(Semver.class.getName())).isSameAs(own);
            assertThat(new String(loader.getResource("config.txt").openStream().readAllBytes())).isEqualTo("mine");
            assertThat(loader.getResource("io/apexagent/plugin/notes.txt").toString()).contains("own.jar");
        }
    }

    @Test
    void sdkClassesCannotBeShadowedByAPluginJar() throws Exception {
        Path jar = TestJars.writeJar(dir.resolve("fake-sdk.jar"), Map.of("io/apexagent/plugin/BasePlugin.class",
                Files.readAllBytes(Path.of(HOST.getResource("io/apexagent/plugin/BasePlugin.class").toURI()))));
        try (PluginClassLoader loader = new PluginClassLoader("p", new URL[] {jar.toUri().toURL()}, HOST)) {
            assertThat(loader.loadClass(BasePlugin.class.getName())).isSameAs(BasePlugin.class);
        }
    }

    @Test
    void isParallelCapable() throws Exception {
        try (PluginClassLoader loader = new PluginClassLoader("p", new URL[0], HOST)) {
            assertThat(loader.isRegisteredAsParallelCapable()).isTrue();
        }
    }
}
