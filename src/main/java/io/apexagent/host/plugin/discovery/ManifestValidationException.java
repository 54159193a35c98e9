package io.apexagent.host.plugin.discovery;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import io.apexagent.plugin.PluginConfigurationException;

/** A manifest with one or more problems; {@link #problems()} lists every one, not only the first. */
public class ManifestValidationException extends PluginConfigurationException {

    private final transient Path file;
    private final transient List<ManifestProblem> problems;
    private final String declaredVersion;

    /**
     * @param pluginId        the id the manifest declares, if it got that far (else null)
     * @param declaredVersion the valid semantic version the manifest declares, if any (else null): errors about the
     *                        plugin still name it
     */
    public ManifestValidationException(Path file, String pluginId, String declaredVersion, List<ManifestProblem> problems,
            Throwable cause) {
        super(pluginId, message(file, problems), cause);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a validation exception needs at least one problem");
        }
        this.file = file;
        this.problems = List.copyOf(problems);
        this.declaredVersion = declaredVersion;
    }

    public ManifestValidationException(Path file, String pluginId, List<ManifestProblem> problems, Throwable cause) {
        this(file, pluginId, null, problems, cause);
    }

    public ManifestValidationException(Path file, String pluginId, List<ManifestProblem> problems) {
        this(file, pluginId, problems, null);
    }

    /** @return the valid semantic version the manifest declares, or null */
    public String declaredVersion() {
        return declaredVersion;
    }

    /** @return the manifest file that was read */
    public Path file() {
        return file;
    }

    /** @return every problem found, in document order where known */
    public List<ManifestProblem> problems() {
        return problems;
    }

    private static String message(Path file, List<ManifestProblem> problems) {
        String header = "Invalid plugin manifest " + file + " (" + problems.size()
                + (problems.size() == 1 ? " problem" : " problems") + "):\n  ";
        return header + problems.stream().map(ManifestProblem::toString).collect(Collectors.joining("\n  "));
    }
}
