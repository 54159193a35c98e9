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
     *
     * <p>Each step takes the lowest id whose dependencies are all placed, else (an optional edge closes a cycle)
     * the lowest id whose required ones are. Kahn's algorithm with counters, so n log n rather than a scan of
     * every remaining node per step, which was quadratic and showed with a thousand plugins.
     */
    List<String> topologicalOrder(Collection<String> nodes) {
        Set<String> remaining = new TreeSet<>(nodes);
        Map<String, Integer> waitingAll = new HashMap<>();
        Map<String, Integer> waitingRequired = new HashMap<>();
        Map<String, List<String>> dependants = new HashMap<>();
        TreeSet<String> readyAll = new TreeSet<>();
        TreeSet<String> readyRequired = new TreeSet<>();
        for (String node : remaining) {
            Set<String> all = new TreeSet<>(optional.getOrDefault(node, Set.of()));
            all.addAll(requiredOf(node));
            all.retainAll(remaining);
            all.forEach(target -> dependants.computeIfAbsent(target, t -> new ArrayList<>()).add(node));
            int required = (int) requiredOf(node).stream().filter(remaining::contains).count();
            waitingAll.put(node, all.size());
            waitingRequired.put(node, required);
            if (all.isEmpty()) {
                readyAll.add(node);
            }
            if (required == 0) {
                readyRequired.add(node);
            }
        }
        List<String> order = new ArrayList<>();
        while (!remaining.isEmpty()) {
            String next = !readyAll.isEmpty() ? readyAll.first() : readyRequired.isEmpty() ? null : readyRequired.first();
            if (next == null) {
                throw new IllegalStateException("required cycle left among " + remaining);
            }
            order.add(next);
            remaining.remove(next);
            readyAll.remove(next);
            readyRequired.remove(next);
            for (String dependant : dependants.getOrDefault(next, List.of())) {
                if (remaining.contains(dependant)) {
                    if (waitingAll.merge(dependant, -1, Integer::sum) == 0) {
                        readyAll.add(dependant);
                    }
                    if (requiredOf(dependant).contains(next)
                            && waitingRequired.merge(dependant, -1, Integer::sum) == 0) {
                        readyRequired.add(dependant);
                    }
                }
            }
        }
        return order;
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
