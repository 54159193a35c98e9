package io.apexagent.host.plugin.discovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

import io.apexagent.plugin.PluginConfigurationException;

/**
 * Finds plugins in plugin directories. Two layouts, freely mixed in one directory:
 * <ul>
 * <li>{@code <dir>/<folder>/manifest.json}: one plugin, any folder name;</li>
 * <li>{@code <dir>/<id>/<version>/manifest.json}: several versions side by side; the folder names must equal
 * the manifest's id and version.</li>
 * </ul>
 * Entries whose name starts with {@code .} (e.g. an upload in progress) and plain files are skipped. A folder
 * with neither layout is a failure, as is a missing or unreadable plugin directory: both are reported in the
 * {@link DiscoveryResult}, never thrown, so the other directories and plugins are still found. Thread-safe.
 */
public final class PluginScanner {

    private final ManifestParser parser;

    public PluginScanner(ManifestParser parser) {
        this.parser = parser;
    }

    /** Scans each directory in turn; their results are concatenated. */
    public DiscoveryResult scan(Collection<Path> directories) {
        DiscoveryResult result = DiscoveryResult.EMPTY;
        for (Path directory : directories) {
            result = result.plus(scan(directory));
        }
        return result;
    }

    /** Scans one plugin directory. */
    public DiscoveryResult scan(Path directory) {
        if (!Files.isDirectory(directory)) {
            String what = Files.exists(directory) ? "is not a directory" : "does not exist";
            return failed(directory, new PluginConfigurationException("plugin directory " + directory + " " + what
                    + "; expected an existing directory (create it or fix the configured plugin directories)"));
        }
        DiscoveryResult result = DiscoveryResult.EMPTY;
        try {
            for (Path folder : subFolders(directory)) {
                result = result.plus(scanFolder(folder));
            }
        } catch (IOException e) {
            result = result.plus(failed(directory, new PluginConfigurationException(
                    "cannot list plugin directory " + directory + ": " + e + "; expected a readable directory", e)));
        }
        return result;
    }

    /** Reads one direct sub-folder of a plugin directory, in either layout. */
    public DiscoveryResult scanFolder(Path folder) {
        if (Files.isRegularFile(folder.resolve(ManifestParser.MANIFEST_FILE))) {
            return parse(folder, null);
        }
        try {
            List<Path> versions = subFolders(folder).stream()
                    .filter(version -> Files.isRegularFile(version.resolve(ManifestParser.MANIFEST_FILE)))
                    .toList();
            if (versions.isEmpty()) {
                return failed(folder, new PluginConfigurationException("plugin folder " + folder + " has no "
                        + ManifestParser.MANIFEST_FILE + "; expected " + folder.resolve(ManifestParser.MANIFEST_FILE)
                        + " or " + folder.resolve("<version>").resolve(ManifestParser.MANIFEST_FILE)));
            }
            DiscoveryResult result = DiscoveryResult.EMPTY;
            for (Path version : versions) {
                result = result.plus(parse(version, folder.getFileName().toString()));
            }
            return result;
        } catch (IOException e) {
            return failed(folder, new PluginConfigurationException(
                    "cannot list plugin folder " + folder + ": " + e + "; expected a readable folder", e));
        }
    }

    private DiscoveryResult parse(Path folder, String expectedId) {
        try {
            PluginManifest manifest = parser.parse(folder);
            if (expectedId != null) {
                checkVersionedLayout(manifest, expectedId);
            }
            return new DiscoveryResult(List.of(manifest), List.of());
        } catch (PluginConfigurationException e) {
            return failed(folder, e);
        }
    }

    /** In {@code <id>/<version>/}, the folders must say what the manifest says: a copy-paste slip is an error. */
    private static void checkVersionedLayout(PluginManifest manifest, String expectedId) {
        List<ManifestProblem> problems = new ArrayList<>();
        Path file = manifest.manifestFile();
        if (!manifest.id().equals(expectedId)) {
            problems.add(ManifestProblem.of(file, "/id", "'" + manifest.id() + "' differs from its folder '"
                    + expectedId + "'", "the id to equal the folder name in the <id>/<version>/ layout"));
        }
        String folderVersion = manifest.directory().getFileName().toString();
        if (!PluginVersions.isValid(folderVersion) || PluginVersions.compare(folderVersion, manifest.version()) != 0) {
            problems.add(ManifestProblem.of(file, "/version", "'" + manifest.version() + "' differs from its folder '"
                    + folderVersion + "'", "the version to equal the folder name in the <id>/<version>/ layout"));
        }
        if (!problems.isEmpty()) {
            throw new ManifestValidationException(file, manifest.id(), manifest.version(), problems, null);
        }
    }

    private static List<Path> subFolders(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries
                    .filter(Files::isDirectory)
                    .filter(entry -> !entry.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    private static DiscoveryResult failed(Path folder, PluginConfigurationException error) {
        return new DiscoveryResult(List.of(), List.of(new DiscoveryFailure(folder, error)));
    }
}
