package io.apexagent.host.plugin.discovery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the {@link DependencyResolver} decided: the version chosen per plugin id, the load order of the plugins
 * that can load, and why each of the others cannot. Immutable and thread-safe.
 */
public final class ResolutionResult {

    private final Map<String, PluginManifest> chosen;
    private final List<PluginManifest> loadOrder;
    private final Map<String, DependencyFailure> failures;
    private final DependencyGraph graph;

    ResolutionResult(Map<String, PluginManifest> chosen, List<PluginManifest> loadOrder,
            Map<String, DependencyFailure> failures, DependencyGraph graph) {
        this.chosen = Collections.unmodifiableMap(new LinkedHashMap<>(chosen));
        this.loadOrder = List.copyOf(loadOrder);
        this.failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
        this.graph = graph;
    }

    /** @return id → the manifest of the chosen version, failed plugins included (when a version was chosen) */
    public Map<String, PluginManifest> chosen() {
        return chosen;
    }

    /** @return id → chosen version */
    public Map<String, String> chosenVersions() {
        Map<String, String> versions = new LinkedHashMap<>();
        chosen.forEach((id, manifest) -> versions.put(id, manifest.version()));
        return Collections.unmodifiableMap(versions);
    }

    /** @return the plugins that can load, dependencies before their dependants */
    public List<PluginManifest> loadOrder() {
        return loadOrder;
    }

    /** @return id → why that plugin cannot load; plugins absent from this map are in {@link #loadOrder()} */
    public Map<String, DependencyFailure> failures() {
        return failures;
    }

    /** @return the failure of {@code pluginId}, if it failed */
    public Optional<DependencyFailure> failure(String pluginId) {
        return Optional.ofNullable(failures.get(pluginId));
    }

    /** @return whether nothing failed */
    public boolean isComplete() {
        return failures.isEmpty();
    }

    /**
     * The loadable plugins that need {@code pluginId} through required dependencies, directly or transitively,
     * ordered so that stopping them in this order is safe (dependants first, reverse load order).
     */
    public List<String> dependentsOf(String pluginId) {
        Set<String> dependents = graph.dependentsOf(pluginId);
        List<String> order = new ArrayList<>();
        for (int i = loadOrder.size() - 1; i >= 0; i--) {
            String id = loadOrder.get(i).id();
            if (dependents.contains(id)) {
                order.add(id);
            }
        }
        return order;
    }

    @Override
    public String toString() {
        return "ResolutionResult[loadOrder=" + loadOrder.stream().map(m -> m.id() + "@" + m.version()).toList()
                + ", failures=" + failures.values().stream().map(DependencyFailure::message).toList() + "]";
    }
}
