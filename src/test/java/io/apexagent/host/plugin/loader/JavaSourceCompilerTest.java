package io.apexagent.host.plugin.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.testing.TestPlugins;
import io.apexagent.plugin.PluginInitializationException;

class JavaSourceCompilerTest {

    @TempDir
    Path dir;

    @Test
    void compilesTheMainModuleWithItsSiblingsAndReusesTheCacheWhileSourcesAreUnchanged() throws Exception {
        PluginManifest manifest = TestPlugins.plugin("echo").action("echo").javaSourcesFrom("echo")
                .className("test.echo.EchoPlugin").writeTo(dir).manifest();
        JavaSourceCompiler compiler = new JavaSourceCompiler(dir.resolve("cache"));

        JavaSourceCompiler.CompiledModule first = compiler.compile(manifest);
        Path mainClass = first.classesDir().resolve("test/echo/EchoPlugin.class");
        assertThat(first.cacheHit()).isFalse();
        assertThat(mainClass).exists();
        assertThat(first.classesDir().resolve("test/echo/Texts.class")).exists();
        FileTime compiledAt = Files.getLastModifiedTime(mainClass);

        JavaSourceCompiler.CompiledModule second = new JavaSourceCompiler(dir.resolve("cache")).compile(manifest);
        assertThat(second.cacheHit()).isTrue();
        assertThat(second.classesDir()).isEqualTo(first.classesDir());
        assertThat(Files.getLastModifiedTime(mainClass)).isEqualTo(compiledAt);

        Path texts = manifest.directory().resolve("Texts.java");
        Files.writeString(texts, Files.readString(texts).replace("\"echo: \"", "\"ECHO: \""));
        JavaSourceCompiler.CompiledModule changed = compiler.compile(manifest);
        assertThat(changed.cacheHit()).isFalse();
        assertThat(changed.cacheKey()).isNotEqualTo(first.cacheKey());
    }

    @Test
    void compileErrorsNameFileLineAndColumn() {
        PluginManifest manifest = TestPlugins.plugin("broken")
                .javaSource("test.broken.Broken", """
                        package test.broken;

                        public class Broken {
                            int x = "not a number";
                        }
                        """)
                .writeTo(dir).manifest();

        assertThatThrownBy(() -> new JavaSourceCompiler(dir.resolve("cache")).compile(manifest))
                .isInstanceOf(PluginCompilationException.class)
                .isInstanceOf(PluginInitializationException.class)
                .hasMessageContaining("plugin broken: main_module Broken.java")
                .hasMessageContaining("Broken.java:4:13: incompatible types: java.lang.String cannot be converted to int")
                .satisfies(e -> assertThat(((PluginCompilationException) e).diagnostics())
                        .containsExactly("Broken.java:4:13: incompatible types: java.lang.String cannot be converted to int"));
    }

    @Test
    void hostClassesAreNotOnTheCompileClasspath() {
        PluginManifest manifest = TestPlugins.plugin("jackson-src")
                .javaSource("test.jackson.JacksonPlugin", """
                        package test.jackson;

                        import com.fasterxml.jackson.databind.ObjectMapper;

                        public class JacksonPlugin {
                            ObjectMapper mapper;
                        }
                        """)
                .writeTo(dir).manifest();

        assertThatThrownBy(() -> new JavaSourceCompiler(dir.resolve("cache")).compile(manifest))
                .isInstanceOf(PluginCompilationException.class)
                .hasMessageContaining("JacksonPlugin.java:3:")
                .hasMessageContaining("package com.fasterxml.jackson.databind does not exist")
                .hasMessageContaining("io.apexagent.plugin.*, io.smallrye.mutiny.* and the JDK 17 only");
    }

    @Test
    void javaFilesUnderLibAndResourcesAreNotCompiled() {
        PluginManifest manifest = TestPlugins.plugin("layout").action("echo").javaSourcesFrom("echo")
                .className("test.echo.EchoPlugin")
                .file("resources/Template.java", "this is not Java")
                .file("lib/Sample.java", "nor is this")
                .writeTo(dir).manifest();

        assertThat(new JavaSourceCompiler(dir.resolve("cache")).compile(manifest).classesDir()
                .resolve("test/echo/EchoPlugin.class")).exists();
    }
}
