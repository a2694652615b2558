package dev.plumb.compiler;

import dev.plumb.api.Location;
import dev.plumb.api.RefreshAction;
import dev.plumb.api.Suggestions;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.resources.ResourceTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Compiles one entry of a role's {@code resources} list, such as {@code - file: /etc/motd}, into catalog
 * resources, as {@link EntryCompiler} expands it, each with the resources it requires and notifies.
 */
final class ResourceCompiler {

    /** Resource entries: every type also takes the keys that order and expand it. */
    static final EntryCompiler.Kind KIND = new EntryCompiler.Kind(ResourceTypes.REGISTRY, "file: /etc/motd", "NAME",
            "a resource name", List.of("requires", "notify", "when", "for_each"), CompileHook.RESOURCES);
    private static final Pattern RESOURCE_ID = Pattern.compile("([a-z]+):(.+)");
    /** A notification that asks for an action, as {@code reload service:nginx}: a word, one space, an id. */
    private static final Pattern WITH_ACTION = Pattern.compile("([a-z]+) ([a-z]+:.+)");

    /** A compiled resource and where its declaration and each attribute are, for messages. */
    record Compiled(CatalogResource resource, Location location, Map<String, Location> attributes) {
    }

    private final EntryCompiler entries;

    ResourceCompiler(EntryCompiler entries) {
        this.entries = entries;
    }

    void compile(YamlReader yaml, Node entryNode, Map<String, Object> scope, List<Compiled> out) {
        entries.compile(KIND, yaml, entryNode, scope, entry -> {
            Map<String, Location> locations = new HashMap<>(entry.locations());
            locations.put(ResourceTypes.REGISTRY.schema(entry.type()).nameAttribute(), entry.nameLocation());
            List<String> requires = new ArrayList<>();
            references(yaml, entry.attributes().get("requires"), entry.scope(), requires, null);
            List<String> notify = new ArrayList<>();
            Map<String, RefreshAction> actions = new HashMap<>();
            references(yaml, entry.attributes().get("notify"), entry.scope(), notify, actions);
            out.add(new Compiled(new CatalogResource(entry.type(), entry.name(), requires, notify, actions,
                    entry.values()), entry.typeLocation(), locations));
        });
    }

    /**
     * {@code compiled} with the references to resources a {@code when} left out, and nothing else declares, taken
     * away: a resource that requires or notifies one that this host does not get does without it, as a role that
     * installs nginx only on some hosts restarts it only there.
     */
    List<Compiled> withoutLeftOut(List<Compiled> compiled) {
        Set<String> leftOut = new HashSet<>(entries.leftOut(KIND));
        compiled.forEach(c -> leftOut.remove(c.resource().id()));
        if (leftOut.isEmpty()) {
            return compiled;
        }
        return compiled.stream().map(c -> {
            CatalogResource resource = c.resource();
            Map<String, RefreshAction> actions = new HashMap<>(resource.notifyActions());
            actions.keySet().removeAll(leftOut);
            return new Compiled(new CatalogResource(resource.type(), resource.name(), without(resource.requires(), leftOut),
                    without(resource.notifies(), leftOut), actions, resource.attributes()), c.location(), c.attributes());
        }).toList();
    }

    private static List<String> without(List<String> ids, Set<String> leftOut) {
        return ids.stream().filter(id -> !leftOut.contains(id)).toList();
    }

    /**
     * Adds to {@code ids} the resource ids {@code entry} names; with {@code actions} (for notify), an id may follow
     * the action asked of it, as {@code reload service:nginx}, which goes into {@code actions} by id.
     */
    private void references(YamlReader yaml, YamlReader.Entry entry, Map<String, Object> scope, List<String> ids,
                            Map<String, RefreshAction> actions) {
        if (entry == null) {
            return;
        }
        List<Node> nodes = entry.value() instanceof SequenceNode sequence ? sequence.getValue() : List.of(entry.value());
        for (Node node : nodes) {
            String id = entries.render(yaml, node, scope, "a resource id such as file:/etc/motd");
            if (id == null) {
                continue;
            }
            Matcher withAction = WITH_ACTION.matcher(id);
            RefreshAction asked = null;
            if (actions != null && withAction.matches()) {
                Optional<RefreshAction> action = RefreshAction.of(withAction.group(1));
                if (action.isEmpty()) {
                    yaml.problem(node, entry.name() + ": '" + withAction.group(1) + "' is not an action to ask of "
                            + withAction.group(2) + "; expected one of " + String.join(", ", RefreshAction.words())
                            + Suggestions.didYouMean(withAction.group(1), RefreshAction.words()));
                    continue;
                }
                id = withAction.group(2);
                asked = action.get();
            }
            Matcher matcher = RESOURCE_ID.matcher(id);
            if (!matcher.matches() || !ResourceTypes.REGISTRY.isKnown(matcher.group(1))) {
                String type = matcher.matches() ? matcher.group(1) : id;
                yaml.problem(node, entry.name() + ": '" + id + "' is not a resource id; expected type:name such as "
                        + "file:/etc/motd" + (actions != null ? ", or an action and an id such as reload service:nginx" : "")
                        + (matcher.matches() ? Suggestions.didYouMean(type, ResourceTypes.names()) : ""));
                continue;
            }
            ids.add(id);
            if (asked != null) {
                actions.put(id, asked);
            }
        }
    }
}
