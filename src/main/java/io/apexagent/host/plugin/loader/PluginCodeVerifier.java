package io.apexagent.host.plugin.loader;

import java.nio.file.Path;
import java.util.List;

import io.apexagent.host.plugin.discovery.PluginManifest;

/**
 * Checks a plugin's code before any of it is loaded: signatures over the plugin folder, and the
 * classes' references against the permissions granted. Runs on the class path entries the plugin
 * loader is about to use (compiled classes or the main jar, then {@code lib/} jars).
 */
@FunctionalInterface
public interface PluginCodeVerifier {

    /** Accepts everything; for tests of the loader alone. */
    PluginCodeVerifier NONE = (manifest, classPath) -> {
    };

    /**
     * @param manifest  the plugin
     * @param classPath directories and jars holding every class the plugin may load
     * @throws io.apexagent.plugin.PluginSecurityException listing every violation
     */
    void verify(PluginManifest manifest, List<Path> classPath);
}
