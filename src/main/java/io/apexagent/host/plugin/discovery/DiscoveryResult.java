package io.apexagent.host.plugin.discovery;

import java.util.ArrayList;
import java.util.List;

/**
 * What a scan found: the valid manifests and the folders that failed. One bad plugin never hides the others.
 *
 * @param manifests valid manifests, in folder order (several versions of one id may appear)
 * @param failures  folders that could not be read, each with its reason
 */
public record DiscoveryResult(List<PluginManifest> manifests, List<DiscoveryFailure> failures) {

    /** A result with nothing found. */
    public static final DiscoveryResult EMPTY = new DiscoveryResult(List.of(), List.of());

    public DiscoveryResult {
        manifests = List.copyOf(manifests);
        failures = List.copyOf(failures);
    }

    /** @return whether no folder failed */
    public boolean isClean() {
        return failures.isEmpty();
    }

    /** @return this result followed by {@code other} */
    public DiscoveryResult plus(DiscoveryResult other) {
        List<PluginManifest> allManifests = new ArrayList<>(manifests);
        allManifests.addAll(other.manifests);
        List<DiscoveryFailure> allFailures = new ArrayList<>(failures);
        allFailures.addAll(other.failures);
        return new DiscoveryResult(allManifests, allFailures);
    }
}
