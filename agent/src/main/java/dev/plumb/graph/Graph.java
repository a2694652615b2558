package dev.plumb.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A directed graph whose edges point from a dependency to the node that needs it.
 * Nodes keep the order they were added in; every walk follows that order, so results are stable.
 */
public final class Graph {

    private final Map<String, Integer> index = new LinkedHashMap<>();
    private final List<String> nodes = new ArrayList<>();
    private final List<Set<Integer>> dependencies = new ArrayList<>();
    private final List<Set<Integer>> dependents = new ArrayList<>();

    public void addNode(String node) {
        if (index.containsKey(node)) {
            throw new IllegalArgumentException("duplicate node " + node);
        }
        index.put(node, nodes.size());
        nodes.add(node);
        dependencies.add(new LinkedHashSet<>());
        dependents.add(new LinkedHashSet<>());
    }

    public boolean contains(String node) {
        return index.containsKey(node);
    }

    /** Records that {@code node} needs {@code dependency} to be done first. */
    public void addEdge(String dependency, String node) {
        int from = indexOf(dependency);
        int to = indexOf(node);
        dependencies.get(to).add(from);
        dependents.get(from).add(to);
    }

    public List<String> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public List<String> dependenciesOf(String node) {
        return names(dependencies.get(indexOf(node)));
    }

    public List<String> dependentsOf(String node) {
        return names(dependents.get(indexOf(node)));
    }

    /**
     * Every node after all of its dependencies; among nodes that are ready together, the one added first
     * comes first. Throws when the graph has a cycle: call {@link #findCycle()} first to report it.
     */
    public List<String> topologicalOrder() {
        int[] waiting = new int[nodes.size()];
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < nodes.size(); i++) {
            waiting[i] = dependencies.get(i).size();
            if (waiting[i] == 0) {
                ready.add(i);
            }
        }
        List<String> order = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            int next = ready.poll();
            order.add(nodes.get(next));
            for (int dependent : dependents.get(next)) {
                if (--waiting[dependent] == 0) {
                    ready.add(dependent);
                }
            }
        }
        if (order.size() != nodes.size()) {
            throw new IllegalStateException("graph has a cycle: " + findCycle().orElseThrow());
        }
        return order;
    }

    /**
     * The first cycle found when walking from the nodes in the order they were added, as the path
     * {@code a, b, c, a}: each node needs the one after it.
     */
    public Optional<List<String>> findCycle() {
        int[] state = new int[nodes.size()]; // 0 unvisited, 1 on the current path, 2 done
        for (int start = 0; start < nodes.size(); start++) {
            if (state[start] == 0) {
                List<Integer> path = new ArrayList<>();
                Optional<List<String>> cycle = walk(start, state, path);
                if (cycle.isPresent()) {
                    return cycle;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<List<String>> walk(int node, int[] state, List<Integer> path) {
        state[node] = 1;
        path.add(node);
        for (int next : dependencies.get(node)) {
            if (state[next] == 1) {
                List<String> cycle = new ArrayList<>(names(path.subList(path.indexOf(next), path.size())));
                cycle.add(nodes.get(next));
                return Optional.of(cycle);
            }
            if (state[next] == 0) {
                Optional<List<String>> cycle = walk(next, state, path);
                if (cycle.isPresent()) {
                    return cycle;
                }
            }
        }
        path.remove(path.size() - 1);
        state[node] = 2;
        return Optional.empty();
    }

    private int indexOf(String node) {
        Integer i = index.get(node);
        if (i == null) {
            throw new IllegalArgumentException("unknown node " + node);
        }
        return i;
    }

    private List<String> names(Iterable<Integer> indices) {
        List<String> result = new ArrayList<>();
        indices.forEach(i -> result.add(nodes.get(i)));
        return result;
    }
}
