package io.apexagent.host.plugin.discovery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Directed "needs" graph between plugin ids: hard (required) and soft (optional) edges. Finds required cycles,
 * orders plugins dependencies-first and lists transitive dependents. Not thread-safe while being built.
 */
final class DependencyGraph {

    private final Map<String, Set<String>> required = new TreeMap<>();
    private final Map<String, Set<String>> optional = new TreeMap<>();

    void addNode(String id) {
        required.computeIfAbsent(id, k -> new TreeSet<>());
        optional.computeIfAbsent(id, k -> new TreeSet<>());
    }

    void addRequired(String from, String to) {
        addNode(from);
        required.get(from).add(to);
    }

    void addOptional(String from, String to) {
        addNode(from);
        optional.get(from).add(to);
    }

    Set<String> requiredOf(String id) {
        return required.getOrDefault(id, Set.of());
    }

    /** @return for each node on a cycle of required edges, that cycle written from it: {@code a, b, c, a} */
    Map<String, List<String>> cycles() {
        Map<String, List<String>> cycles = new TreeMap<>();
        for (String start : required.keySet()) {
            List<String> path = shortestPath(start, start);
            if (!path.isEmpty()) {
                cycles.put(start, path);
            }
        }
        return cycles;
    }

    /** Breadth-first search over required edges; the path includes both ends, empty when unreachable. */
    private List<String> shortestPath(String from, String to) {
        Map<String, String> parent = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(from));
        while (!queue.isEmpty()) {
            String node = queue.poll();
            for (String next : requiredOf(node)) {
                if (next.equals(to)) {
                    List<String> path = new ArrayList<>(List.of(to));
                    for (String at = node; at != null; at = at.equals(from) ? null : parent.get(at)) {
                        path.add(0, at);
                    }
                    return path;
                }
                if (!parent.containsKey(next) && !next.equals(from) && required.containsKey(next)) {
                    parent.put(next, node);
                    queue.add(next);
                }
            }
        }
        return List.of();
    }

    /**
     * Orders {@code nodes} dependencies first, ties by id. Edges leaving {@code nodes} are ignored. An optional
     * edge that closes a cycle is dropped (the caller has already failed every required cycle).
     */
    List<String> topologicalOrder(Collection<String> nodes) {
        Set<String> remaining = new TreeSet<>(nodes);
        List<String> order = new ArrayList<>();
        while (!remaining.isEmpty()) {
            String next = remaining.stream().filter(n -> ready(n, remaining, true)).findFirst()
                    .or(() -> remaining.stream().filter(n -> ready(n, remaining, false)).findFirst())
                    .orElseThrow(() -> new IllegalStateException("required cycle left among " + remaining));
            order.add(next);
            remaining.remove(next);
        }
        return order;
    }

    private boolean ready(String node, Set<String> remaining, boolean withOptional) {
        boolean requiredDone = requiredOf(node).stream().noneMatch(remaining::contains);
        return requiredDone && (!withOptional
                || optional.getOrDefault(node, Set.of()).stream().noneMatch(remaining::contains));
    }

    /** @return every node that needs {@code id} through required edges, directly or transitively */
    Set<String> dependentsOf(String id) {
        Set<String> found = new LinkedHashSet<>();
        Deque<String> queue = new ArrayDeque<>(List.of(id));
        while (!queue.isEmpty()) {
            String target = queue.poll();
            required.forEach((from, to) -> {
                if (to.contains(target) && !from.equals(id) && found.add(from)) {
                    queue.add(from);
                }
            });
        }
        return found;
    }
}
