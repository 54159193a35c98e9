package io.apexagent.host.plugin.loader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.apexagent.host.plugin.discovery.PluginManifest;
import io.apexagent.plugin.PluginConfigurationException;

/** The layout of a plugin folder: main module, {@code lib/} jars, {@code resources/}. Stateless. */
final class PluginFolders {

    static final String LIB = "lib";
    static final String RESOURCES = "resources";

    private PluginFolders() {
    }

    /** @return the main module's file, checked to exist inside the plugin folder */
    static Path mainModule(PluginManifest manifest) {
        Path dir = manifest.directory().toAbsolutePath().normalize();
        Path main = dir.resolve(manifest.mainModule()).normalize();
        if (!main.startsWith(dir)) {
            throw new PluginConfigurationException(manifest.id(), "plugin " + manifest.id() + ": main_module '"
                    + manifest.mainModule() + "' in " + manifest.manifestFile()
                    + " points outside the plugin folder; use a path relative to " + dir, null);
        }
        if (!Files.isRegularFile(main)) {
            throw new PluginConfigurationException(manifest.id(), "plugin " + manifest.id() + ": main_module '"
                    + manifest.mainModule() + "' declared in " + manifest.manifestFile() + " does not exist at "
                    + main + "; fix main_module or add the file", null);
        }
        return main;
    }

    /** @return the jars directly in {@code lib/}, sorted by name; empty when there is no {@code lib/} */
    static List<Path> libJars(Path pluginDir) {
        Path lib = pluginDir.resolve(LIB);
        if (!Files.isDirectory(lib)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(lib)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                    .sorted()
                    .collect(Collectors.toUnmodifiableList());
        } catch (IOException e) {
            throw new PluginConfigurationException("cannot list " + lib + ": " + e.getMessage()
                    + "; check the folder's permissions", e);
        }
    }
}
