package io.apexagent.host.plugin.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.apexagent.host.plugin.discovery.DependencyFailure.Kind;

/** Fails the plugins that require a failed plugin, naming the chain down to the first failure. */
final class TransitiveFailures {

    private TransitiveFailures() {
    }

    /**
     * Adds a {@link Kind#TRANSITIVE} failure for each chosen plugin that requires a failed one, round by round
     * so that each chain is a shortest one.
     */
    static void propagate(Map<String, PluginManifest> chosen, DependencyGraph graph,
            Map<String, DependencyFailure> failures) {
        boolean changed = true;
        while (changed) {
            Map<String, DependencyFailure> round = new TreeMap<>();
            for (PluginManifest manifest : chosen.values()) {
                if (failures.containsKey(manifest.id())) {
                    continue;
                }
                graph.requiredOf(manifest.id()).stream()
                        .filter(failures::containsKey)
                        .findFirst()
                        .ifPresent(failed -> round.put(manifest.id(), failure(manifest, failures.get(failed), failures)));
            }
            failures.putAll(round);
            changed = !round.isEmpty();
        }
    }

    private static DependencyFailure failure(PluginManifest manifest, DependencyFailure cause,
            Map<String, DependencyFailure> failures) {
        List<String> chain = new ArrayList<>(List.of(manifest.id()));
        chain.addAll(cause.chain());
        DependencyFailure root = root(cause, failures);
        return new DependencyFailure(manifest.id(), manifest.version(), Kind.TRANSITIVE, chain,
                "plugin '" + manifest.id() + "' " + manifest.version() + " requires '" + cause.pluginId()
                        + "', which cannot load: " + String.join(" -> ", chain) + " (" + root.message() + ")");
    }

    private static DependencyFailure root(DependencyFailure failure, Map<String, DependencyFailure> failures) {
        DependencyFailure at = failure;
        while (at.kind() == Kind.TRANSITIVE) {
            at = failures.get(at.chain().get(1));
        }
        return at;
    }
}
