package io.apexagent.host.plugin.loader;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.plugin.PluginInitializationException;

/**
 * Compiles a source plugin (a {@code .java} main module and every {@code .java} file under its folder,
 * except {@code lib/} and {@code resources/}) with the JDK compiler, {@code --release 17}, against the
 * SDK, Mutiny and the plugin's {@code lib/*.jar} only. The classes are cached under
 * {@code <cacheDir>/<pluginId>/<sha256>}, keyed by the sources, the lib jars and the SDK's digest, so an
 * unchanged plugin is never compiled twice, across restarts and across replicas sharing the folder.
 *
 * <p>Annotation processing is off: a lib jar must not run code inside the host at compile time.
 * Thread-safe; compilations are serialized (javac is CPU-bound and memory-hungry).
 */
public final class JavaSourceCompiler {

    /** The Java release plugins are compiled for. */
    public static final String RELEASE = "17";

    private static final String HINT = "source plugins compile against io.apexagent.plugin.*, "
            + "io.smallrye.mutiny.* and the JDK " + RELEASE + " only; bundle other libraries as jars in lib/";

    private final Path cacheDir;
    private final ClassLoader hostLoader;
    private final Object compileLock = new Object();
    private volatile SdkClasspath.Extracted sdk;

    /** @param cacheDir where compiled classes are kept (created when missing) */
    public JavaSourceCompiler(Path cacheDir) {
        this(cacheDir, JavaSourceCompiler.class.getClassLoader());
    }

    /**
     * @param cacheDir   where compiled classes are kept (created when missing)
     * @param hostLoader the loader that defines the SDK and Mutiny
     */
    public JavaSourceCompiler(Path cacheDir, ClassLoader hostLoader) {
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir").toAbsolutePath();
        this.hostLoader = Objects.requireNonNull(hostLoader, "hostLoader");
    }

    /**
     * Compiles the plugin's sources, or finds them already compiled.
     *
     * @param manifest a plugin whose {@code main_module} is a {@code .java} file
     * @return the folder of compiled classes
     * @throws PluginCompilationException listing every compiler error as {@code <file>:<line>:<column>: <message>}
     */
    public CompiledModule compile(PluginManifest manifest) {
        Path pluginDir = manifest.directory().toAbsolutePath().normalize();
        Path main = PluginFolders.mainModule(manifest);
        List<Path> sources = sources(pluginDir, main.getParent());
        List<Path> libs = PluginFolders.libJars(pluginDir);
        SdkClasspath.Extracted sdkClasses = sdk();
        String key = cacheKey(pluginDir, sources, libs, sdkClasses.digest());
        Path target = cacheDir.resolve(manifest.id()).resolve(key);
        if (Files.isDirectory(target)) {
            return new CompiledModule(target, key, true);
        }
        synchronized (compileLock) {
            if (Files.isDirectory(target)) {
                return new CompiledModule(target, key, true);
            }
            compileInto(manifest, sources, classpath(sdkClasses, libs), target);
            return new CompiledModule(target, key, false);
        }
    }

    private SdkClasspath.Extracted sdk() {
        SdkClasspath.Extracted s = sdk;
        if (s == null) {
            synchronized (compileLock) {
                s = sdk;
                if (s == null) {
                    s = SdkClasspath.extract(hostLoader, cacheDir);
                    sdk = s;
                }
            }
        }
        return s;
    }

    private static List<Path> classpath(SdkClasspath.Extracted sdkClasses, List<Path> libs) {
        List<Path> cp = new ArrayList<>();
        cp.add(sdkClasses.classesDir());
        cp.addAll(libs);
        return cp;
    }

    private static List<Path> sources(Path pluginDir, Path moduleDir) {
        List<Path> excluded = List.of(pluginDir.resolve(PluginFolders.LIB), pluginDir.resolve(PluginFolders.RESOURCES),
                moduleDir.resolve(PluginFolders.LIB), moduleDir.resolve(PluginFolders.RESOURCES));
        try (Stream<Path> files = Files.walk(moduleDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".java") && Files.isRegularFile(f))
                    .filter(f -> excluded.stream().noneMatch(f::startsWith))
                    .sorted()
                    .collect(Collectors.toUnmodifiableList());
        } catch (IOException | UncheckedIOException e) {
            throw new PluginInitializationException("cannot list the sources under " + moduleDir + ": "
                    + e.getMessage() + "; check the folder's permissions", e);
        }
    }

    private static String cacheKey(Path pluginDir, List<Path> sources, List<Path> libs, String sdkDigest) {
        Digests.Builder d = Digests.sha256().add("release=" + RELEASE).add("sdk=" + sdkDigest);
        try {
            for (Path s : sources) {
                d.add("src:" + pluginDir.relativize(s)).add(Files.readAllBytes(s));
            }
            for (Path lib : libs) {
                d.add("lib:" + lib.getFileName()).add(Files.readAllBytes(lib));
            }
        } catch (IOException e) {
            throw new PluginInitializationException("cannot read the plugin's files under " + pluginDir + ": "
                    + e.getMessage(), e);
        }
        return d.hex();
    }

    private void compileInto(PluginManifest manifest, List<Path> sources, List<Path> classpath, Path target) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new PluginInitializationException(manifest.id(), "plugin " + manifest.id()
                    + " is a source plugin, but the host runs on a JRE without a Java compiler; run it on a JDK "
                    + "or ship the plugin as a .jar", null);
        }
        Path tmp;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempDirectory(target.getParent(), "compiling-");
        } catch (IOException e) {
            throw unwritable(manifest, e);
        }
        try {
            runJavac(javac, manifest, sources, classpath, tmp);
            CacheDirs.publish(tmp, target);
        } catch (PluginCompilationException e) {
            removeAfterFailure(tmp, e);
            throw e;
        } catch (IOException e) {
            PluginInitializationException failure = unwritable(manifest, e);
            removeAfterFailure(tmp, failure);
            throw failure;
        }
    }

    private static void runJavac(JavaCompiler javac, PluginManifest manifest, List<Path> sources,
            List<Path> classpath, Path out) throws IOException {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter output = new StringWriter();
        boolean ok;
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            files.setLocationFromPaths(StandardLocation.CLASS_PATH, classpath);
            files.setLocationFromPaths(StandardLocation.SOURCE_PATH, List.of());
            files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(out));
            List<String> options = List.of("--release", RELEASE, "-proc:none", "-implicit:none",
                    "-encoding", "UTF-8", "-nowarn", "-parameters");
            ok = javac.getTask(output, files, diagnostics, options, null,
                    files.getJavaFileObjectsFromPaths(sources)).call();
        }
        if (!ok) {
            throw CompileErrors.failure(manifest, diagnostics.getDiagnostics(), output.toString(), HINT);
        }
    }

    private PluginInitializationException unwritable(PluginManifest manifest, IOException e) {
        return new PluginInitializationException(manifest.id(), "cannot compile plugin " + manifest.id()
                + " into " + cacheDir + ": " + e + "; check that the cache directory is writable", e);
    }

    private static void removeAfterFailure(Path tmp, RuntimeException failure) {
        try {
            CacheDirs.deleteRecursively(tmp);
        } catch (IOException | UncheckedIOException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * @param classesDir the compiled classes (do not modify: shared by every load of the same sources)
     * @param cacheKey   SHA-256 (hex) of sources, lib jars and SDK
     * @param cacheHit   whether the classes came from the cache rather than a compilation
     */
    public record CompiledModule(Path classesDir, String cacheKey, boolean cacheHit) {
    }
}
