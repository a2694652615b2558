package dev.plumb.compiler;

import dev.plumb.api.Diagnostic;
import dev.plumb.api.Location;
import dev.plumb.catalog.CatalogCheck;
import dev.plumb.checks.CheckTypes;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Compiles one entry of a role's {@code checks} list, such as {@code - http: http://localhost/health}, into
 * catalog checks, as {@link EntryCompiler} expands it, then validates them as the agent will run them, each
 * problem placed at its attribute.
 */
final class CheckCompiler {

    /** Check entries: every type also takes the keys that decide which checks the entry makes. */
    static final EntryCompiler.Kind KIND = new EntryCompiler.Kind(CheckTypes.REGISTRY, "http: http://localhost/health",
            "TARGET", "the target of a %s check", List.of("when", "for_each"), Map.of());

    /** A compiled check and where its target and each attribute are, for messages. */
    record Compiled(CatalogCheck check, Location target, Map<String, Location> attributes) {
    }

    private final EntryCompiler entries;

    CheckCompiler(EntryCompiler entries) {
        this.entries = entries;
    }

    void compile(YamlReader yaml, Node entryNode, Map<String, Object> scope, List<Compiled> out) {
        entries.compile(KIND, yaml, entryNode, scope, entry -> out.add(new Compiled(
                new CatalogCheck(entry.type(), entry.name(), entry.values()), entry.nameLocation(), entry.locations())));
    }

    /**
     * Adds every rule a compiled check breaks, at the attribute that breaks it (the target for the check as a
     * whole), as {@code roles/web.yaml:7:11: check port[70000]: '70000' is not a port; ...}.
     */
    static void validate(Compiled compiled, Problems problems) {
        for (Diagnostic problem : CheckTypes.problems(compiled.check())) {
            Location location = problem.attribute() == null ? compiled.target()
                    : compiled.attributes().getOrDefault(problem.attribute(), compiled.target());
            problems.add(location, "check " + compiled.check().display()
                    + (problem.attribute() == null ? "" : " " + problem.attribute()) + ": " + problem.summary());
        }
    }
}
