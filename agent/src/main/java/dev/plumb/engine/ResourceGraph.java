package dev.plumb.engine;

import dev.plumb.api.AutoRequires;
import dev.plumb.api.Batched;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.PathBound;
import dev.plumb.api.RefreshAction;
import dev.plumb.api.Refreshable;
import dev.plumb.api.Removable;
import dev.plumb.api.Resource;
import dev.plumb.api.Suggestions;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.graph.Graph;
import dev.plumb.system.SafePaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dependency graph of a catalog: explicit {@code requires} and {@code notify} edges plus the implicit
 * ones (a path needs the managed directory above it; lines edit a file after the resource that owns it, and
 * one after another). Removal runs in reverse: a {@code requires} or implicit edge whose dependency is
 * {@link Removable#removes() being removed} is reversed, so that what needs it is done with it first, unless
 * the same two are joined by a {@code notify}, which keeps its direction. Collects every problem that makes the
 * catalog unrunnable instead of stopping at one.
 */
public final class ResourceGraph {

    private final Graph graph = new Graph();
    private final Map<String, List<String>> notifiers = new HashMap<>();
    private final List<Diagnostic> problems = new ArrayList<>();
    private final Map<String, Resource> resources;
    /** The ids each resource notifies, as declared. */
    private final Map<String, List<String>> notifies = new HashMap<>();
    /** The action each resource asks of those it notifies, by notified id, where it asks for one. */
    private final Map<String, Map<String, RefreshAction>> actions = new HashMap<>();

    private ResourceGraph(Map<String, Resource> resources) {
        this.resources = resources;
    }

    /** Builds the graph of {@code specs}, whose instantiated resources are in {@code resources} by id. */
    public static ResourceGraph build(List<CatalogResource> specs, Map<String, Resource> resources) {
        ResourceGraph result = new ResourceGraph(resources);
        result.addNodes(specs);
        result.addExplicitEdges(specs);
        result.addPathEdges(specs);
        result.addAutoRequires(specs);
        result.graph.findCycle().ifPresent(cycle -> result.problems.add(Diagnostic.ofResource(cycle.get(0), null,
                "dependency cycle: " + String.join(" needs ", cycle.stream().map(CatalogResource::display).toList()))));
        return result;
    }

    public Graph graph() {
        return graph;
    }

    public List<Diagnostic> problems() {
        return List.copyOf(problems);
    }

    /** The resources whose change notifies {@code id}, in catalog order. */
    public List<String> notifiersOf(String id) {
        return notifiers.getOrDefault(id, List.of());
    }

    /** The action {@code notifier} asks of {@code notified}, or null when it leaves the way to refresh to it. */
    public RefreshAction actionAsked(String notifier, String notified) {
        return actions.getOrDefault(notifier, Map.of()).get(notified);
    }

    /** The resources that a change of {@code id} notifies, as declared. */
    public List<String> notifies(String id) {
        return notifies.getOrDefault(id, List.of());
    }

    private void addNodes(List<CatalogResource> specs) {
        for (CatalogResource spec : specs) {
            if (graph.contains(spec.id())) {
                problems.add(Diagnostic.ofResource(spec.id(), null, "is declared more than once"));
            } else {
                graph.addNode(spec.id());
            }
        }
    }

    /**
     * Adds that {@code dependent} needs {@code dependency}; reversed when the dependency is being removed, unless
     * it notifies the dependent, whose refresh must come after it.
     */
    private void require(String dependency, String dependent) {
        if (!(resources.get(dependency) instanceof Removable removable && removable.removes())) {
            graph.addEdge(dependency, dependent);
        } else if (!notifies.getOrDefault(dependency, List.of()).contains(dependent)) {
            graph.addEdge(dependent, dependency);
        }
    }

    private void addExplicitEdges(List<CatalogResource> specs) {
        specs.forEach(spec -> {
            notifies.putIfAbsent(spec.id(), spec.notifies());
            actions.putIfAbsent(spec.id(), spec.notifyActions());
        });
        for (CatalogResource spec : specs) {
            for (String required : spec.requires()) {
                if (known(spec, "requires", required)) {
                    require(required, spec.id());
                }
            }
            for (String notified : spec.notifies()) {
                if (!known(spec, "notify", notified)) {
                    continue;
                }
                if (!(resources.get(notified) instanceof Refreshable refreshable)) {
                    problems.add(Diagnostic.ofResource(spec.id(), "notify", CatalogResource.display(notified)
                            + " cannot be notified; only exec and service resources refresh when notified"));
                    continue;
                }
                RefreshAction action = spec.notifyActions().get(notified);
                if (action != null && !refreshable.refreshActions().contains(action)) {
                    problems.add(Diagnostic.ofResource(spec.id(), "notify", CatalogResource.display(notified)
                            + " cannot be asked to " + action.word() + "; it refreshes in its own way only: write "
                            + notified + " without '" + action.word() + "'"));
                    continue;
                }
                graph.addEdge(spec.id(), notified);
                notifiers.computeIfAbsent(notified, k -> new ArrayList<>()).add(spec.id());
            }
        }
    }

    /**
     * Groups the batched resources of one class that no path of the graph connects, so that each group can
     * converge as one step. A resource's depth counts the batched resources on its longest path of
     * dependencies; two of one depth can have no path between them, so they may go together.
     *
     * @return for each member of a group of two or more, the group in {@code order}
     */
    Map<String, List<String>> batches(List<String> order, Map<String, Resource> resources) {
        Map<String, Integer> depths = new HashMap<>();
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String id : order) {
            int depth = 0;
            for (String dependency : graph.dependenciesOf(id)) {
                depth = Math.max(depth, depths.get(dependency) + (resources.get(dependency) instanceof Batched ? 1 : 0));
            }
            depths.put(id, depth);
            if (resources.get(id) instanceof Batched batched) {
                groups.computeIfAbsent(batched.getClass().getName() + "@" + depth, k -> new ArrayList<>()).add(id);
            }
        }
        Map<String, List<String>> byMember = new HashMap<>();
        for (List<String> group : groups.values()) {
            if (group.size() > 1) {
                group.forEach(id -> byMember.put(id, List.copyOf(group)));
            }
        }
        return byMember;
    }

    private void addAutoRequires(List<CatalogResource> specs) {
        for (CatalogResource spec : specs) {
            if (resources.get(spec.id()) instanceof AutoRequires auto) {
                for (String required : auto.autoRequires()) {
                    if (graph.contains(required) && !required.equals(spec.id())) {
                        require(required, spec.id());
                    }
                }
            }
        }
    }

    private boolean known(CatalogResource spec, String attribute, String reference) {
        if (graph.contains(reference)) {
            return true;
        }
        problems.add(Diagnostic.ofResource(spec.id(), attribute, "refers to " + reference + ", which is not declared"
                + Suggestions.didYouMean(reference, graph.nodes())));
        return false;
    }

    private void addPathEdges(List<CatalogResource> specs) {
        Map<Path, String> owners = new HashMap<>();
        Map<Path, String> lastEditor = new LinkedHashMap<>();
        for (CatalogResource spec : specs) {
            if (resources.get(spec.id()) instanceof PathBound bound && hasValidPath(bound) && bound.ownsPath()) {
                String other = owners.putIfAbsent(bound.location(), spec.id());
                if (other != null && !other.equals(spec.id())) {
                    problems.add(Diagnostic.ofResource(spec.id(), null, "manages " + bound.location() + ", which "
                            + CatalogResource.display(other) + " already manages"));
                }
            }
        }
        for (CatalogResource spec : specs) {
            if (!(resources.get(spec.id()) instanceof PathBound bound) || !hasValidPath(bound)) {
                continue;
            }
            String parent = nearestOwnedAncestor(bound.location(), owners);
            if (parent != null) {
                require(parent, spec.id());
            }
            if (bound.ownsPath()) {
                continue;
            }
            String owner = owners.get(bound.location());
            if (owner != null && ((PathBound) resources.get(owner)).ownsContent()) {
                problems.add(Diagnostic.ofResource(spec.id(), "path", "edits " + bound.location() + ", whose whole content "
                        + CatalogResource.display(owner) + " manages; put the line in that resource's content instead"));
                continue;
            }
            String previous = lastEditor.put(bound.location(), spec.id());
            String before = previous != null ? previous : owner;
            if (before != null) {
                require(before, spec.id());
            }
        }
    }

    private static String nearestOwnedAncestor(Path path, Map<Path, String> owners) {
        for (Path parent = path.getParent(); parent != null; parent = parent.getParent()) {
            String owner = owners.get(parent);
            if (owner != null) {
                return owner;
            }
        }
        return null;
    }

    /** Whether a resource's path is in normal form; when not, its validation says so and the graph leaves it out. */
    private static boolean hasValidPath(PathBound bound) {
        return bound.path() != null && SafePaths.problem(bound.path()) == null;
    }
}
