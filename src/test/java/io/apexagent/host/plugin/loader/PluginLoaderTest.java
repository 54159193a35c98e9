package io.apexagent.host.plugin.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semver4j.Semver;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.testing.TestPlugins;
import io.apexagent.plugin.BasePlugin;
import io.apexagent.plugin.PluginConfigurationException;
import io.apexagent.plugin.PluginDependencyException;
import io.apexagent.plugin.PluginExecutionException;
import io.apexagent.plugin.PluginInitializationException;
import io.apexagent.plugin.PluginLifecycleException;

class PluginLoaderTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String HIDDEN = "which plugins cannot see; plugins may use only io.apexagent.plugin.*, "
            + "io.smallrye.mutiny.* and the JDK (bundle other libraries in lib/)";

    @TempDir
    Path dir;

    private PluginLoader loader() {
        return new PluginLoader(new JavaSourceCompiler(dir.resolve("cache")));
    }

    private static Object execute(LoadedPlugin plugin, String action, Map<String, Object> params) {
        return PluginCalls.uni(plugin, p -> p.executeAction(action, params)).await().atMost(WAIT);
    }

    @Test
    void loadsASourcePluginAndRunsItsAction() {
        PluginManifest manifest = echo().writeTo(dir).manifest();

        try (LoadedPlugin plugin = loader().load(manifest)) {
            assertThat(plugin.plugin().getClass().getClassLoader()).isSameAs(plugin.classLoader());
            assertThat(plugin.plugin()).isInstanceOf(BasePlugin.class);
            assertThat(execute(plugin, "echo", Map.of("text", "hi"))).isEqualTo("echo: hi");
        }
    }

    @Test
    void loadsAJarPluginAndRunsItsAction() {
        PluginManifest manifest = echo().buildJar().writeTo(dir).manifest();
        assertThat(manifest.mainModule()).isEqualTo("echo.jar");

        try (LoadedPlugin plugin = loader().load(manifest)) {
            assertThat(execute(plugin, "echo", Map.of("text", "jar"))).isEqualTo("echo: jar");
        }
    }

    @Test
    void contextLoaderIsThePluginsDuringCallsAndRestoredAfterwards() {
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (LoadedPlugin plugin = loader().load(echo().writeTo(dir).manifest())) {
            assertThat(execute(plugin, "context-loader", Map.of())).isEqualTo(true);
            ClassLoader during = PluginCalls.call(plugin, p -> Thread.currentThread().getContextClassLoader());
            assertThat(during).isSameAs(plugin.classLoader());
            assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
        }
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    }

    @Test
    void aPluginBundlingAHostLibraryGetsItsOwnCopy() throws Exception {
        PluginManifest manifest = TestPlugins.plugin("own-semver").action("check")
                .libJar(LibraryVersionCheckerTest.semver4jJar()).library("semver4j", "^5.8.0")
                .javaSource("test.semver.SemverPlugin", """
                        package test.semver;

                        import java.util.Map;
                        import org.semver4j.Semver;
                        import io.apexagent.plugin.AbstractPlugin;
                        import io.smallrye.mutiny.Uni;

                        public class SemverPlugin extends AbstractPlugin {
                            @Override
                            public Uni<Object> executeAction(String action, Map<String, Object> params) {
                                return Uni.createFrom().item(Semver.class.getClassLoader() == getClass().getClassLoader()
                                        && new Semver("1.2.3").satisfies("^1.0.0"));
                            }
                        }
                        """)
                .writeTo(dir).manifest();

        try (LoadedPlugin plugin = loader().load(manifest)) {
            assertThat(execute(plugin, "check", Map.of())).isEqualTo(true);
            assertThat(plugin.classLoader().loadClass(Semver.class.getName())).isNotSameAs(Semver.class);
        }
    }

    @Test
    void missingClassIsNamedWithWhereToFixIt() {
        PluginManifest manifest = echo().manifestField("class_name", "test.echo.Missing").writeTo(dir).manifest();

        assertThatThrownBy(() -> loader().load(manifest))
                .isInstanceOf(PluginInitializationException.class)
                .hasMessageContaining("class_name test.echo.Missing is not in the plugin's code")
                .hasMessageContaining("check class_name in " + manifest.manifestFile());
    }

    @Test
    void classThatIsNotABasePluginIsRefused() {
        PluginManifest manifest = TestPlugins.plugin("plain").javaSource("test.plain.Plain", """
                package test.plain;

                public class Plain {
                }
                """).writeTo(dir).manifest();

        assertThatThrownBy(() -> loader().load(manifest))
                .isInstanceOf(PluginInitializationException.class)
                .hasMessageContaining("class_name test.plain.Plain does not implement io.apexagent.plugin.BasePlugin");
    }

    @Test
    void throwingConstructorIsReportedWithItsCause() {
        PluginManifest manifest = TestPlugins.plugin("boom").javaSource("test.boom.Boom", """
                package test.boom;

                import java.util.Map;
                import io.apexagent.plugin.AbstractPlugin;
                import io.smallrye.mutiny.Uni;

                public class Boom extends AbstractPlugin {
                    public Boom() {
                        throw new IllegalStateException("kaboom");
                    }

                    @Override
                    public Uni<Object> executeAction(String action, Map<String, Object> params) {
                        return Uni.createFrom().nullItem();
                    }
                }
                """).writeTo(dir).manifest();

        assertThatThrownBy(() -> loader().load(manifest))
                .isInstanceOf(PluginInitializationException.class)
                .hasMessageContaining("the constructor of test.boom.Boom threw java.lang.IllegalStateException: kaboom")
                .hasRootCauseMessage("kaboom");
    }

    @Test
    void missingNoArgConstructorIsReported() {
        PluginManifest manifest = TestPlugins.plugin("args").javaSource("test.args.Args", """
                package test.args;

                import java.util.Map;
                import io.apexagent.plugin.AbstractPlugin;
                import io.smallrye.mutiny.Uni;

                public class Args extends AbstractPlugin {
                    public Args(String needed) {
                    }

                    @Override
                    public Uni<Object> executeAction(String action, Map<String, Object> params) {
                        return Uni.createFrom().nullItem();
                    }
                }
                """).writeTo(dir).manifest();

        assertThatThrownBy(() -> loader().load(manifest))
                .isInstanceOf(PluginInitializationException.class)
                .hasMessageContaining("test.args.Args has no public no-arg constructor");
    }

    @Test
    void pluginReferencingJacksonFailsAtLoadWithTheHiddenClassMessage() {
        PluginManifest manifest = TestPlugins.plugin("jackson").buildJar().javaSource("test.jackson.JacksonPlugin", """
                package test.jackson;

                import java.util.Map;
                import com.fasterxml.jackson.databind.ObjectMapper;
                import io.apexagent.plugin.AbstractPlugin;
                import io.smallrye.mutiny.Uni;

                public class JacksonPlugin extends AbstractPlugin {
                    private final ObjectMapper mapper = new ObjectMapper();

                    @Override
                    public Uni<Object> executeAction(String action, Map<String, Object> params) {
                        return Uni.createFrom().item(mapper.valueToTree(params).toString());
                    }
                }
                """).writeTo(dir).manifest();

        assertThatThrownBy(() -> loader().load(manifest))
                .isInstanceOf(PluginInitializationException.class)
                .hasMessage("plugin jackson references host class com.fasterxml.jackson.databind.ObjectMapper, " + HIDDEN)
                .hasCauseInstanceOf(NoClassDefFoundError.class);
    }

    @Test
    void pluginReferencingQuarkusFailsWhenCalledWithTheHiddenClassMessage() {
        PluginManifest manifest = TestPlugins.plugin("quarkus").action("mode").buildJar()
                .javaSource("test.quarkus.QuarkusPlugin", """
                        package test.quarkus;

                        import java.util.Map;
                        import io.apexagent.plugin.AbstractPlugin;
                        import io.smallrye.mutiny.Uni;

                        public class QuarkusPlugin extends AbstractPlugin {
                            @Override
                            public Uni<Object> executeAction(String action, Map<String, Object> params) {
                                return Uni.createFrom().item(io.quarkus.runtime.LaunchMode.current().name());
                            }
                        }
                        """)
                .writeTo(dir).manifest();

        try (LoadedPlugin plugin = loader().load(manifest)) {
            assertThatThrownBy(() -> execute(plugin, "mode", Map.of()))
                    .isInstanceOf(PluginExecutionException.class)
                    .hasMessage("plugin quarkus references host class io.quarkus.runtime.LaunchMode, " + HIDDEN);
            assertThatThrownBy(() -> PluginCalls.call(plugin, p -> p.executeAction("mode", Map.of())))
                    .isInstanceOf(PluginExecutionException.class)
                    .hasMessageContaining("io.quarkus.runtime.LaunchMode, " + HIDDEN);
        }
    }

    @Test
    void pythonAndProcessIsolationAreRefusedClearly() {
        PluginManifest python = TestPlugins.plugin("py").manifestField("main_module", "main.py")
                .manifestField("class_name", "Main").file("main.py", "print('hi')").writeTo(dir).manifest();
        PluginManifest process = echo().manifestField("isolation", "process").writeTo(dir.resolve("p")).manifest();

        assertThatThrownBy(() -> loader().load(python))
                .isInstanceOf(PluginConfigurationException.class)
                .hasMessageContaining("main_module 'main.py' is Python")
                .hasMessageContaining("process isolation is not available yet");
        assertThatThrownBy(() -> loader().load(process))
                .isInstanceOf(PluginConfigurationException.class)
                .hasMessageContaining("asks for isolation 'process'")
                .hasMessageContaining("not supported yet");
    }

    @Test
    void missingMainModuleAndBadLibrariesFailBeforeAnyCodeLoads() {
        PluginManifest noFile = echo().manifestField("main_module", "Gone.java").writeTo(dir).manifest();
        PluginManifest badLib = echo().library("semver4j", "^5.0.0").writeTo(dir.resolve("b")).manifest();

        assertThatThrownBy(() -> loader().load(noFile))
                .isInstanceOf(PluginConfigurationException.class)
                .hasMessageContaining("main_module 'Gone.java' declared in " + noFile.manifestFile() + " does not exist");
        assertThatThrownBy(() -> loader().load(badLib))
                .isInstanceOf(PluginDependencyException.class)
                .hasMessageContaining("library 'semver4j' (required ^5.0.0) is missing");
    }

    @Test
    void closedPluginCannotBeCalled() {
        LoadedPlugin plugin = loader().load(echo().writeTo(dir).manifest());
        plugin.close();
        plugin.close();

        assertThat(plugin.isClosed()).isTrue();
        assertThatThrownBy(plugin::plugin).isInstanceOf(PluginLifecycleException.class)
                .hasMessageContaining("plugin echo 1.0.0 was unloaded");
    }

    private static TestPlugins.Builder echo() {
        return TestPlugins.plugin("echo").action("echo").action("context-loader").javaSourcesFrom("echo")
                .className("test.echo.EchoPlugin");
    }
}
