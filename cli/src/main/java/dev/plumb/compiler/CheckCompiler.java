package dev.plumb.compiler;

import dev.plumb.api.Resource.AttributeProblem;
import dev.plumb.api.Suggestions;
import dev.plumb.catalog.CatalogCheck;
import dev.plumb.checks.CheckTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Compiles one entry of a role's {@code checks} list, such as {@code - http: http://localhost/health}, into
 * catalog checks: expanded by {@code for_each} and {@code when} and with values converted exactly as resources
 * are, then validated as the agent will run them, each problem placed at its attribute.
 */
final class CheckCompiler {

    /** Keys a check entry takes besides its type's attributes: they decide which checks the entry makes. */
    private static final List<String> EXPANSION = List.of("when", "for_each");

    /** A compiled check and where its target and each attribute are, for messages. */
    record Compiled(CatalogCheck check, Location target, Map<String, Location> attributes) {
    }

    private final ResourceCompiler values;

    CheckCompiler(ResourceCompiler values) {
        this.values = values;
    }

    void compile(YamlReader yaml, Node entryNode, Map<String, Object> scope, List<Compiled> out) {
        Map<String, YamlReader.Entry> entries = yaml.mapping(entryNode, "a check such as '- http: http://localhost/health'");
        if (entries.isEmpty()) {
            if (YamlReader.isEmpty(entryNode)) {
                yaml.problem(entryNode, "empty check; expected '- TYPE: TARGET', such as '- http: http://localhost/health'");
            }
            return;
        }
        YamlReader.Entry head = entries.values().iterator().next();
        String type = head.name();
        if (!CheckTypes.REGISTRY.isKnown(type)) {
            yaml.problem(head.key(), "unknown check type '" + type + "'; expected one of "
                    + String.join(", ", CheckTypes.names()) + Suggestions.didYouMean(type, CheckTypes.names())
                    + " (a check starts with its type, as '- http: http://localhost/health')");
            return;
        }
        Map<String, Class<?>> attributeTypes = CheckTypes.attributes(type);
        Map<String, YamlReader.Entry> attributes = new LinkedHashMap<>(entries);
        attributes.remove(type);
        List<String> allowed = new ArrayList<>(attributeTypes.keySet());
        allowed.addAll(EXPANSION);
        yaml.onlyKeys(attributes, allowed, type + " check");
        Map<String, Location> locations = new HashMap<>();
        attributes.forEach((name, entry) -> locations.put(name, yaml.at(entry.value())));
        for (Map.Entry<Object, Object> item : values.forEachItems(yaml, attributes.get("for_each"), scope)) {
            Map<String, Object> itemScope = item == null ? scope : Scope.withItem(scope, item.getKey(), item.getValue());
            if (attributes.containsKey("when") && !values.holds(yaml, attributes.get("when").value(), itemScope)) {
                continue;
            }
            String target = values.render(yaml, head.value(), itemScope, "the target of a " + type + " check");
            if (target == null) {
                continue;
            }
            Map<String, Object> converted = new TreeMap<>();
            for (var attribute : attributes.entrySet()) {
                Class<?> expected = attributeTypes.get(attribute.getKey());
                if (expected != null) {
                    Object value = values.convert(yaml, attribute.getKey(), attribute.getValue().value(), expected, itemScope);
                    if (value != null) {
                        converted.put(attribute.getKey(), value);
                    }
                }
            }
            out.add(new Compiled(new CatalogCheck(type, target, converted), yaml.at(head.value()), locations));
        }
    }

    /**
     * Adds every rule a compiled check breaks, at the attribute that breaks it (the target for the check as a
     * whole), as {@code roles/web.yaml:7:11: check port[70000]: '70000' is not a port; ...}.
     */
    static void validate(Compiled compiled, Problems problems) {
        for (AttributeProblem problem : CheckTypes.problems(compiled.check())) {
            Location location = problem.attribute() == null ? compiled.target()
                    : compiled.attributes().getOrDefault(problem.attribute(), compiled.target());
            problems.add(location, "check " + compiled.check().display()
                    + (problem.attribute() == null ? "" : " " + problem.attribute()) + ": " + problem.message());
        }
    }
}
