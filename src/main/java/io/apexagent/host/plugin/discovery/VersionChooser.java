package io.apexagent.host.plugin.discovery;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chooses one version per plugin id: the highest one satisfying every dependant's range (optional ranges too
 * when possible), repeated until no choice changes, since choosing another version of a dependant changes the
 * ranges it asks for. When no version satisfies every dependant, the highest wins and the resolver reports the
 * dependants left unsatisfied.
 */
final class VersionChooser {

    private VersionChooser() {
    }

    /**
     * @param candidates id → its candidate manifests, highest version first (a pinned id has only the pinned one)
     * @return id → chosen manifest
     */
    static Map<String, PluginManifest> choose(Map<String, List<PluginManifest>> candidates) {
        Map<String, PluginManifest> chosen = new TreeMap<>();
        candidates.forEach((id, versions) -> chosen.put(id, versions.get(0)));
        // Bounded: choices normally settle in a round or two; the bound stops a pathological oscillation.
        for (int round = 0; round <= candidates.size(); round++) {
            boolean changed = false;
            for (Map.Entry<String, List<PluginManifest>> entry : candidates.entrySet()) {
                PluginManifest pick = pick(entry.getKey(), entry.getValue(), chosen);
                changed |= chosen.put(entry.getKey(), pick) != pick;
            }
            if (!changed) {
                break;
            }
        }
        return chosen;
    }

    private static PluginManifest pick(String id, List<PluginManifest> versions, Map<String, PluginManifest> chosen) {
        List<PluginManifest.PluginDependency> asks = chosen.values().stream()
                .filter(dependant -> !dependant.id().equals(id))
                .map(dependant -> dependant.dependencies().plugins().get(id))
                .filter(dependency -> dependency != null)
                .toList();
        return versions.stream().filter(v -> satisfiesAll(v, asks, true)).findFirst()
                .or(() -> versions.stream().filter(v -> satisfiesAll(v, asks, false)).findFirst())
                .orElse(versions.get(0));
    }

    private static boolean satisfiesAll(PluginManifest version, List<PluginManifest.PluginDependency> asks,
            boolean withOptional) {
        return asks.stream()
                .filter(ask -> withOptional || !ask.optional())
                .allMatch(ask -> satisfies(version.version(), ask.range()));
    }

    /** Like {@link PluginVersions#satisfies} but false, not an exception, for an invalid range or version. */
    static boolean satisfies(String version, String range) {
        return PluginVersions.isValid(version) && PluginVersions.isValidRange(range)
                && PluginVersions.satisfies(version, range);
    }
}
