package io.apexagent.host.plugin.loader;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.plugin.process.ProcessPlugins;
import io.apexagent.plugin.BasePlugin;
import io.apexagent.plugin.PluginConfigurationException;
import io.apexagent.plugin.PluginInitializationException;

/**
 * Loads one plugin version into its own {@link PluginClassLoader}: checks its folder (signature) first,
 * then its {@code lib/} versions, compiles a {@code .java} main module (cached), scans the classes, loads
 * and links {@code class_name}, checks that it implements {@link BasePlugin} and instantiates it through
 * its public no-arg constructor with the plugin's loader as context class loader. Every failure is a typed plugin exception saying what,
 * where and how to fix it, and leaves no open loader behind. Thread-safe.
 */
public final class PluginLoader {

    /** The default {@code isolation}: a class loader inside the host JVM. */
    public static final String CLASSLOADER_ISOLATION = "classloader";

    private final JavaSourceCompiler compiler;
    private final LibraryVersionChecker libraries;
    private final ClassLoader hostLoader;
    private final PluginCodeVerifier verifier;
    private final ProcessPlugins processes;

    /** @param compiler compiles source plugins (its cache directory is the host's plugin cache) */
    public PluginLoader(JavaSourceCompiler compiler) {
        this(compiler, new LibraryVersionChecker(), PluginLoader.class.getClassLoader(), PluginCodeVerifier.NONE);
    }

    /**
     * @param compiler compiles source plugins
     * @param verifier checks the code before it is loaded
     */
    public PluginLoader(JavaSourceCompiler compiler, PluginCodeVerifier verifier) {
        this(compiler, new LibraryVersionChecker(), PluginLoader.class.getClassLoader(), verifier);
    }

    /**
     * @param compiler   compiles source plugins
     * @param libraries  checks {@code lib/} against {@code dependencies.libraries}
     * @param hostLoader the loader that defines the SDK and Mutiny
     */
    public PluginLoader(JavaSourceCompiler compiler, LibraryVersionChecker libraries, ClassLoader hostLoader) {
        this(compiler, libraries, hostLoader, PluginCodeVerifier.NONE);
    }

    /**
     * @param compiler   compiles source plugins
     * @param libraries  checks {@code lib/} against {@code dependencies.libraries}
     * @param hostLoader the loader that defines the SDK and Mutiny
     * @param verifier   checks the code before it is loaded
     */
    public PluginLoader(JavaSourceCompiler compiler, LibraryVersionChecker libraries, ClassLoader hostLoader,
            PluginCodeVerifier verifier) {
        this(compiler, libraries, hostLoader, verifier, null);
    }

    private PluginLoader(JavaSourceCompiler compiler, LibraryVersionChecker libraries, ClassLoader hostLoader,
            PluginCodeVerifier verifier, ProcessPlugins processes) {
        this.processes = processes;
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.compiler = Objects.requireNonNull(compiler, "compiler");
        this.libraries = Objects.requireNonNull(libraries, "libraries");
        this.hostLoader = Objects.requireNonNull(hostLoader, "hostLoader");
    }

    /** @return this loader, running {@code "isolation": "process"} and {@code .py} plugins through {@code processes} */
    public PluginLoader withProcesses(ProcessPlugins processes) {
        return new PluginLoader(compiler, libraries, hostLoader, verifier, Objects.requireNonNull(processes));
    }

    /**
     * @param manifest a validated manifest with a {@code .jar} or {@code .java} main module
     * @return the loaded, not yet initialized plugin; close it to unload
     * @throws PluginConfigurationException for a main module this loader cannot run (Python, process isolation)
     * @throws io.apexagent.plugin.PluginDependencyException for missing or out-of-range {@code lib/} jars
     * @throws PluginInitializationException when the code does not compile, load, link or instantiate
     */
    public LoadedPlugin load(PluginManifest manifest) {
        verifier.verifyFolder(manifest);
        boolean outOfProcess = processes != null && ProcessPlugins.runsOutOfProcess(manifest);
        Path main = PluginFolders.mainModule(manifest);
        if (outOfProcess && ProcessPlugins.isPython(manifest)) {
            return processes.start(manifest, main, List.of());
        }
        requireClassLoaderIsolation(manifest, outOfProcess);
        libraries.requireSatisfied(manifest);
        List<Path> classPath = classPath(manifest, main);
        verifier.verify(manifest, classPath);
        if (outOfProcess) {
            return processes.start(manifest, main, classPath);
        }
        PluginClassLoader loader = new PluginClassLoader(manifest.id(), urls(manifest, classPath), hostLoader);
        try (LoaderSwap swap = LoaderSwap.to(loader)) {
            return new LoadedPlugin(manifest, loader, PluginInstantiator.instantiate(manifest, loader, hostLoader),
                    hostLoader);
        } catch (RuntimeException | Error e) {
            closeAfterFailure(loader, hostLoader, e);
            throw e;
        }
    }

    private static void requireClassLoaderIsolation(PluginManifest manifest, boolean outOfProcess) {
        String isolation = manifest.isolation() == null ? CLASSLOADER_ISOLATION : manifest.isolation();
        String module = manifest.mainModule().toLowerCase(Locale.ROOT);
        if (!outOfProcess && !CLASSLOADER_ISOLATION.equals(isolation)) {
            throw new PluginConfigurationException(manifest.id(), "plugin " + manifest.id() + " asks for isolation '"
                    + isolation + "' in " + manifest.manifestFile() + ", which is not supported yet: this host runs "
                    + "plugins in class loaders only; use isolation 'classloader' with a .jar or .java main module", null);
        }
        if (module.endsWith(".py")) {
            throw new PluginConfigurationException(manifest.id(), "plugin " + manifest.id() + ": main_module '"
                    + manifest.mainModule() + "' is Python, which runs only out of process, and process isolation is "
                    + "not available yet; ship the plugin as a .jar or .java main module", null);
        }
        if (!module.endsWith(".jar") && !module.endsWith(".java")) {
            throw new PluginConfigurationException(manifest.id(), "plugin " + manifest.id() + ": main_module '"
                    + manifest.mainModule() + "' in " + manifest.manifestFile() + " must end in .jar or .java", null);
        }
    }

    private List<Path> classPath(PluginManifest manifest, Path main) {
        List<Path> paths = new ArrayList<>();
        paths.add(main.toString().endsWith(".java") ? compiler.compile(manifest).classesDir() : main);
        paths.addAll(PluginFolders.libJars(manifest.directory()));
        return paths;
    }

    private URL[] urls(PluginManifest manifest, List<Path> paths) {
        List<URL> urls = new ArrayList<>();
        for (Path p : paths) {
            try {
                urls.add(p.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new PluginConfigurationException(manifest.id(), "plugin " + manifest.id() + ": " + p
                        + " cannot be a class path entry (" + e.getMessage() + "); rename it", e);
            }
        }
        return urls.toArray(URL[]::new);
    }

    private static void closeAfterFailure(PluginClassLoader loader, ClassLoader hostLoader, Throwable failure) {
        HostCacheRelease.release(loader, hostLoader);
        try {
            loader.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
