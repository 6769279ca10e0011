package org.saliency4j.architecture;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The cycles of a directed graph, as its strongly connected sets of two or more nodes (Tarjan, 1972). */
final class Cycles {
    private final Map<String, Set<String>> edges;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> lowest = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new HashSet<>();
    private final Set<Set<String>> cycles = new HashSet<>();

    private Cycles(Map<String, Set<String>> edges) {
        this.edges = edges;
    }

    /** @param edges each node's successors (nodes without an entry have none) */
    static Set<Set<String>> of(Map<String, Set<String>> edges) {
        Cycles search = new Cycles(edges);
        for (String node : edges.keySet()) {
            if (!search.index.containsKey(node)) {
                search.visit(node);
            }
        }
        return search.cycles;
    }

    private void visit(String node) {
        index.put(node, index.size());
        lowest.put(node, index.get(node));
        stack.push(node);
        onStack.add(node);
        for (String next : edges.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                visit(next);
                lowest.put(node, Math.min(lowest.get(node), lowest.get(next)));
            } else if (onStack.contains(next)) {
                lowest.put(node, Math.min(lowest.get(node), index.get(next)));
            }
        }
        if (lowest.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                cycles.add(component);
            }
        }
    }
}
