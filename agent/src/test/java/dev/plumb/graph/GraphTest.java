package dev.plumb.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GraphTest {

    private static Graph graphOf(String... nodes) {
        Graph graph = new Graph();
        for (String node : nodes) {
            graph.addNode(node);
        }
        return graph;
    }

    @Test
    void nodesWithoutEdgesComeInTheOrderTheyWereAdded() {
        Graph graph = graphOf("c", "a", "b");

        assertThat(graph.topologicalOrder()).containsExactly("c", "a", "b");
    }

    @Test
    void aNodeComesAfterItsDependenciesEvenWhenAddedFirst() {
        Graph graph = graphOf("x", "y", "z", "w");
        graph.addEdge("w", "x");

        assertThat(graph.topologicalOrder()).containsExactly("y", "z", "w", "x");
    }

    @Test
    void amongReadyNodesTheOneAddedFirstComesFirst() {
        Graph graph = graphOf("a", "b", "c", "d");
        graph.addEdge("a", "b");
        graph.addEdge("c", "d");

        // b becomes ready after a and was added before c, so it goes before c.
        assertThat(graph.topologicalOrder()).containsExactly("a", "b", "c", "d");
    }

    @Test
    void topologicalOrderIsTheSameEveryTime() {
        Graph graph = graphOf("e", "d", "c", "b", "a");
        graph.addEdge("a", "e");
        graph.addEdge("b", "e");
        graph.addEdge("c", "d");

        List<String> first = graph.topologicalOrder();

        assertThat(first).containsExactly("c", "d", "b", "a", "e");
        for (int i = 0; i < 20; i++) {
            assertThat(graph.topologicalOrder()).isEqualTo(first);
        }
    }

    @Test
    void aCycleIsReportedAsTheWholePathFromTheFirstNodeAdded() {
        Graph graph = graphOf("a", "b", "c", "d");
        graph.addEdge("b", "a"); // a needs b
        graph.addEdge("c", "b"); // b needs c
        graph.addEdge("a", "c"); // c needs a

        assertThat(graph.findCycle()).contains(List.of("a", "b", "c", "a"));
    }

    @Test
    void aCycleStartsAtWhicheverOfItsNodesWasAddedFirst() {
        Graph graph = graphOf("c", "b", "a");
        graph.addEdge("b", "a");
        graph.addEdge("c", "b");
        graph.addEdge("a", "c");

        assertThat(graph.findCycle()).contains(List.of("c", "a", "b", "c"));
    }

    @Test
    void aCycleReachedFromAnotherNodeIsReportedWithoutThatNode() {
        Graph graph = graphOf("s", "a", "b");
        graph.addEdge("a", "s"); // s needs a
        graph.addEdge("b", "a"); // a needs b
        graph.addEdge("a", "b"); // b needs a

        assertThat(graph.findCycle()).contains(List.of("a", "b", "a"));
    }

    @Test
    void aNodeThatNeedsItselfIsACycle() {
        Graph graph = graphOf("a");
        graph.addEdge("a", "a");

        assertThat(graph.findCycle()).contains(List.of("a", "a"));
    }

    @Test
    void anAcyclicGraphHasNoCycle() {
        Graph graph = graphOf("a", "b", "c");
        graph.addEdge("a", "b");
        graph.addEdge("a", "c");
        graph.addEdge("b", "c");

        assertThat(graph.findCycle()).isEmpty();
    }

    @Test
    void topologicalOrderOfACyclicGraphThrowsNamingTheCycle() {
        Graph graph = graphOf("a", "b");
        graph.addEdge("a", "b");
        graph.addEdge("b", "a");

        assertThatThrownBy(graph::topologicalOrder)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("graph has a cycle: [a, b, a]");
    }

    @Test
    void dependenciesAndDependentsAreListedInTheOrderTheEdgesWereAdded() {
        Graph graph = graphOf("app", "db", "cache", "web");
        graph.addEdge("db", "app");
        graph.addEdge("cache", "app");
        graph.addEdge("db", "cache"); // duplicates are kept once
        graph.addEdge("db", "app");
        graph.addEdge("app", "web");

        assertThat(graph.dependenciesOf("app")).containsExactly("db", "cache");
        assertThat(graph.dependentsOf("db")).containsExactly("app", "cache");
        assertThat(graph.dependentsOf("app")).containsExactly("web");
        assertThat(graph.dependenciesOf("db")).isEmpty();
        assertThat(graph.dependentsOf("web")).isEmpty();
    }

    @Test
    void nodesAreListedInInsertionOrderAndKnown() {
        Graph graph = graphOf("b", "a");

        assertThat(graph.nodes()).containsExactly("b", "a");
        assertThat(graph.contains("a")).isTrue();
        assertThat(graph.contains("z")).isFalse();
    }

    @Test
    void addingANodeTwiceIsRefused() {
        Graph graph = graphOf("a");

        assertThatThrownBy(() -> graph.addNode("a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate node a");
    }

    @Test
    void anEdgeToAnUnknownNodeIsRefused() {
        Graph graph = graphOf("a");

        assertThatThrownBy(() -> graph.addEdge("a", "nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown node nope");
        assertThatThrownBy(() -> graph.dependenciesOf("nope")).isInstanceOf(IllegalArgumentException.class);
    }
}
