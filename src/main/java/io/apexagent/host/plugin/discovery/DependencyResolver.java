package io.apexagent.host.plugin.discovery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.apexagent.host.plugin.discovery.DependencyFailure.Kind;

/**
 * Resolves plugin dependencies: chooses a version per id (highest compatible with every dependant unless the
 * operator pinned one), orders plugins dependencies-first, and fails only the plugins concerned by a missing,
 * incompatible or cyclic dependency, or by the failure of a plugin they need. Optional dependencies never fail
 * a plugin; when present and compatible they are loaded first. Stateless and thread-safe.
 */
public final class DependencyResolver {

    /** Resolves without pins. */
    public ResolutionResult resolve(Collection<PluginManifest> manifests) {
        return resolve(manifests, Map.of());
    }

    /**
     * @param manifests every discovered manifest; several versions of one id may be present
     * @param pins      id → the version the operator pinned (it must be installed)
     * @return the chosen versions, load order and failures
     */
    public ResolutionResult resolve(Collection<PluginManifest> manifests, Map<String, String> pins) {
        Map<String, List<PluginManifest>> installed = manifests.stream()
                .sorted(Comparator.comparing((PluginManifest m) -> m.directory().toString()))
                .collect(Collectors.groupingBy(PluginManifest::id, TreeMap::new, Collectors.toList()));
        installed.values().forEach(list -> list.sort(byVersionDescending()));
        Map<String, DependencyFailure> failures = new TreeMap<>();
        Map<String, List<PluginManifest>> candidates = new TreeMap<>();
        installed.forEach((id, versions) -> candidates.put(id, applyPin(id, versions, pins.get(id), failures)));
        candidates.values().removeIf(List::isEmpty);

        Map<String, PluginManifest> chosen = VersionChooser.choose(candidates);
        chosen.forEach((id, manifest) -> checkDuplicate(manifest, installed.get(id), failures));
        DependencyGraph graph = new DependencyGraph();
        chosen.forEach((id, manifest) -> checkDependencies(manifest, installed, chosen, pins, graph, failures));
        graph.cycles().forEach((id, cycle) -> failures.putIfAbsent(id, cycleFailure(chosen.get(id), cycle)));
        TransitiveFailures.propagate(chosen, graph, failures);

        List<PluginManifest> loadOrder = graph.topologicalOrder(chosen.keySet().stream()
                .filter(id -> !failures.containsKey(id)).toList()).stream().map(chosen::get).toList();
        return new ResolutionResult(chosen, loadOrder, failures, graph);
    }

    private static List<PluginManifest> applyPin(String id, List<PluginManifest> versions, String pin,
            Map<String, DependencyFailure> failures) {
        if (pin == null) {
            return versions;
        }
        List<PluginManifest> pinned = PluginVersions.isValid(pin)
                ? versions.stream().filter(m -> PluginVersions.compare(m.version(), pin) == 0).toList()
                : List.of();
        if (pinned.isEmpty()) {
            failures.put(id, new DependencyFailure(id, null, Kind.PIN, List.of(id), "plugin '" + id
                    + "' is pinned to '" + pin + "', which is not installed (installed: " + versionsOf(versions)
                    + "); expected a pin naming an installed version, or no pin"));
        }
        return pinned;
    }

    private static void checkDuplicate(PluginManifest manifest, List<PluginManifest> installed,
            Map<String, DependencyFailure> failures) {
        List<String> folders = installed.stream()
                .filter(m -> PluginVersions.compare(m.version(), manifest.version()) == 0)
                .map(m -> m.directory().toString()).toList();
        if (folders.size() > 1) {
            failures.put(manifest.id(), new DependencyFailure(manifest.id(), manifest.version(), Kind.DUPLICATE,
                    List.of(manifest.id()), "plugin '" + manifest.id() + "' version " + manifest.version()
                            + " is installed in several folders " + folders + "; expected one folder per id and version"));
        }
    }

    private static void checkDependencies(PluginManifest manifest, Map<String, List<PluginManifest>> installed,
            Map<String, PluginManifest> chosen, Map<String, String> pins, DependencyGraph graph,
            Map<String, DependencyFailure> failures) {
        String id = manifest.id();
        graph.addNode(id);
        List<String> problems = new ArrayList<>();
        Kind kind = null;
        for (PluginManifest.PluginDependency dependency : new TreeMap<>(manifest.dependencies().plugins()).values()) {
            String target = dependency.pluginId();
            PluginManifest found = chosen.get(target);
            boolean compatible = found != null && VersionChooser.satisfies(found.version(), dependency.range());
            if (!installed.containsKey(target)) {
                if (!dependency.optional()) {
                    kind = kind == null ? Kind.MISSING : kind;
                    problems.add("requires plugin '" + target + "' " + dependency.range()
                            + ", which is not installed; expected a plugin folder with id '" + target
                            + "' and a version in " + dependency.range());
                }
            } else if (!dependency.optional()) {
                graph.addRequired(id, target);
                if (found != null && !compatible) {
                    kind = kind == null ? Kind.INCOMPATIBLE : kind;
                    problems.add(incompatible(dependency, found, installed.get(target), pins.get(target)));
                }
            } else if (compatible) {
                graph.addOptional(id, target);
            }
        }
        if (!problems.isEmpty() && !failures.containsKey(id)) {
            failures.put(id, new DependencyFailure(id, manifest.version(), kind, List.of(id),
                    "plugin '" + id + "' " + manifest.version() + " " + String.join("; and ", problems)));
        }
    }

    private static String incompatible(PluginManifest.PluginDependency dependency, PluginManifest found,
            List<PluginManifest> installed, String pin) {
        boolean anyFits = installed.stream().anyMatch(m -> VersionChooser.satisfies(m.version(), dependency.range()));
        String why = pin != null ? "'" + dependency.pluginId() + "' is pinned to " + pin
                : anyFits ? "other dependants need a version outside this range" : "no installed version is in this range";
        return "requires plugin '" + dependency.pluginId() + "' " + dependency.range() + " but version "
                + found.version() + " was chosen (" + why + "; installed: " + versionsOf(installed)
                + "); expected an installed version of '" + dependency.pluginId() + "' in " + dependency.range();
    }

    private static DependencyFailure cycleFailure(PluginManifest manifest, List<String> cycle) {
        return new DependencyFailure(manifest.id(), manifest.version(), Kind.CYCLE, cycle,
                "plugin '" + manifest.id() + "' is part of a dependency cycle " + String.join(" -> ", cycle)
                        + "; expected no cycle of required dependencies (make one of them optional or remove it)");
    }

    private static Comparator<PluginManifest> byVersionDescending() {
        return Comparator.comparing(PluginManifest::version, PluginVersions.ascending()).reversed();
    }

    private static String versionsOf(List<PluginManifest> manifests) {
        return manifests.stream().map(PluginManifest::version).distinct().collect(Collectors.joining(", "));
    }
}
