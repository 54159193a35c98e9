package io.apexagent.host.plugin.loader;

import java.nio.file.Path;
import java.util.List;

import io.apexagent.host.plugin.discovery.PluginManifest;

/**
 * Checks a plugin's code before any of it is loaded, in two steps: the plugin folder as shipped (its
 * signature) before anything of it is compiled or run, then the classes' references against the permissions
 * granted, on the class path entries the plugin loader is about to use (compiled classes or the main jar,
 * then {@code lib/} jars).
 */
@FunctionalInterface
public interface PluginCodeVerifier {

    /** Accepts everything; for tests of the loader alone. */
    PluginCodeVerifier NONE = (manifest, classPath) -> {
    };

    /**
     * Checks the folder before the loader compiles, scans or starts anything of it (a source plugin's
     * compiler run, a child process): code whose origin is not proven never reaches the JDK compiler.
     *
     * @param manifest the plugin
     * @throws io.apexagent.plugin.PluginSecurityException when the folder may not be loaded at all
     */
    default void verifyFolder(PluginManifest manifest) {
    }

    /**
     * @param manifest  the plugin
     * @param classPath directories and jars holding every class the plugin may load
     * @throws io.apexagent.plugin.PluginSecurityException listing every violation
     */
    void verify(PluginManifest manifest, List<Path> classPath);
}
