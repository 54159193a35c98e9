package io.apexagent.host.plugin.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

import org.jboss.logging.Logger;

import io.apexagent.host.config.ApexConfig;
import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.host.plugin.loader.LoadedPlugin;
import io.apexagent.plugin.Permission;
import io.apexagent.plugin.PluginInitializationException;

/**
 * Starts out-of-process plugins: a child JVM for {@code .jar}/{@code .java} main modules with
 * {@code "isolation": "process"}, a Python child for {@code .py} main modules. The returned
 * {@link LoadedPlugin} closes the child when the host unloads it. A child that faults while it serves
 * (crash, hang, protocol violation) is reported to {@code faults} with the manifest and the reason, so
 * the host can mark the plugin Failed and recover it. Thread-safe.
 */
public final class ProcessPlugins {

    /** The {@code isolation} value that asks for a child process. */
    public static final String PROCESS_ISOLATION = "process";

    private static final Logger LOG = Logger.getLogger(ProcessPlugins.class);

    private final ApexConfig.Process config;
    private final PythonSdk python;
    private final BiConsumer<PluginManifest, String> faults;

    /**
     * @param config   the {@code apex.plugins.process} settings
     * @param cacheDir where the Python SDK is written out
     * @param faults   told about children that fault after they were started
     */
    public ProcessPlugins(ApexConfig.Process config, Path cacheDir, BiConsumer<PluginManifest, String> faults) {
        this.config = config;
        this.python = new PythonSdk(cacheDir);
        this.faults = faults;
    }

    /** @return whether the manifest asks for a child process (a {@code .py} module always does) */
    public static boolean runsOutOfProcess(PluginManifest manifest) {
        return PROCESS_ISOLATION.equals(manifest.isolation()) || isPython(manifest);
    }

    /** @return whether the main module is Python */
    public static boolean isPython(PluginManifest manifest) {
        return manifest.mainModule().toLowerCase(Locale.ROOT).endsWith(".py");
    }

    /**
     * Starts the child; it is initialized later through the returned plugin's {@code initialize}.
     *
     * @param main      the main module file
     * @param classPath for Java: the plugin's classes and {@code lib/} jars
     */
    public LoadedPlugin start(PluginManifest manifest, Path main, List<Path> classPath) {
        ChildCommand.Spec spec = isPython(manifest)
                ? ChildCommand.python(manifest, main, python.directory(), config)
                : ChildCommand.java(manifest, classPath, config);
        Process process = launch(manifest, spec);
        ProcessPlugin[] plugin = new ProcessPlugin[1];
        ChildConnection connection = new ChildConnection(manifest.id(), process,
                reason -> faults.accept(manifest, reason), message -> plugin[0].fromChild(message));
        plugin[0] = manifest.permissions().contains(Permission.STATE_ACCESS.manifestName())
                ? new StatefulProcessPlugin(manifest.id(), connection, config, manifest.stateSchemaVersion())
                : new ProcessPlugin(manifest.id(), connection, config);
        connection.start(config.maxLineBytes(), config.heartbeatInterval(), config.heartbeatTimeout());
        LOG.infof("plugin %s %s: started child process %d (%s)", manifest.id(), manifest.version(), process.pid(),
                isPython(manifest) ? "python" : "jvm");
        return LoadedPlugin.outOfProcess(manifest, plugin[0], connection, ProcessPlugins.class.getClassLoader());
    }

    private static Process launch(PluginManifest manifest, ChildCommand.Spec spec) {
        ProcessBuilder builder = new ProcessBuilder(spec.command()).directory(manifest.directory().toFile());
        builder.environment().putAll(spec.environment());
        try {
            Process process = builder.start();
            ChildProcesses.track(process);
            return process;
        } catch (IOException e) {
            throw new PluginInitializationException(manifest.id(), "plugin " + manifest.id() + ": cannot start its "
                    + "process " + spec.command().get(0) + " (" + e.getMessage() + "); for Python set "
                    + "apex.plugins.process.python to an installed interpreter", e);
        }
    }
}
