package dev.plumb.compiler;

import dev.plumb.api.Attribute;
import dev.plumb.api.AttributeSchema;
import dev.plumb.api.Location;
import dev.plumb.api.Suggestions;
import dev.plumb.api.Types;
import dev.plumb.compiler.jinja.TemplateError;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Compiles one entry of a role's {@code resources} or {@code checks} list, such as {@code - file: /etc/motd}, the
 * same way for both: the type is looked up in its registry and the keys checked against its schema, then the
 * entry expands to one per {@code for_each} element whose {@code when} holds, with every string rendered and
 * every value converted to the type the schema declares. What a type needs of the project is its
 * {@link CompileHook}'s.
 */
final class EntryCompiler {

    private static final Pattern WHOLE_VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z_][\\w.]*)\\s*}}");

    /**
     * One kind of entry.
     *
     * @param types    the registry of its types
     * @param example  an entry for messages, such as {@code file: /etc/motd}
     * @param nameWord what the value after the type is, in messages: NAME or TARGET
     * @param nameWhat what the rendered name is, for messages; {@code %s} is the type
     * @param keys     keys every entry of the kind takes besides its type's attributes, such as {@code when}
     * @param hooks    per type, what it needs of the project
     */
    record Kind(Types<?> types, String example, String nameWord, String nameWhat, List<String> keys,
                Map<String, CompileHook> hooks) {
    }

    /**
     * One expansion of an entry: its type, rendered name and converted values; its keys as written; the scope
     * it was rendered in; where its type, its name and each attribute are, for messages.
     */
    record Expanded(String type, String name, Map<String, Object> values, Map<String, YamlReader.Entry> attributes,
                    Map<String, Object> scope, Location typeLocation, Location nameLocation,
                    Map<String, Location> locations) {
    }

    /** The key of a group of entries that share a {@code when}. */
    static final String BLOCK = "block";

    private final Templates templates;
    private final ProjectInputs files;
    private final Map<Kind, Set<String>> leftOut = new HashMap<>();

    EntryCompiler(Templates templates, ProjectInputs files) {
        this.templates = templates;
        this.files = files;
    }

    void compile(Kind kind, YamlReader yaml, Node entryNode, Map<String, Object> scope, Consumer<Expanded> out) {
        compile(kind, yaml, entryNode, scope, out, true);
    }

    /**
     * Compiles an entry, or a block of them; one a block's {@code when} left out ({@code included} false) is checked
     * all the same, its id remembered as {@link #leftOut}, and nothing of it rendered that the condition may guard.
     */
    private void compile(Kind kind, YamlReader yaml, Node entryNode, Map<String, Object> scope, Consumer<Expanded> out,
                         boolean included) {
        String noun = kind.types().kind();
        Map<String, YamlReader.Entry> entries = yaml.mapping(entryNode, "a " + noun + " such as '- " + kind.example() + "'");
        if (entries.isEmpty()) {
            if (YamlReader.isEmpty(entryNode)) {
                yaml.problem(entryNode, "empty " + noun + "; expected '- TYPE: " + kind.nameWord() + "', such as '- "
                        + kind.example() + "'");
            }
            return;
        }
        if (entries.containsKey(BLOCK)) {
            block(kind, yaml, entries, scope, out, included);
            return;
        }
        YamlReader.Entry head = entries.values().iterator().next();
        String type = head.name();
        if (!kind.types().isKnown(type)) {
            yaml.problem(head.key(), "unknown " + noun + " type '" + type + "'; expected one of "
                    + String.join(", ", kind.types().names()) + Suggestions.didYouMean(type, kind.types().names())
                    + " (a " + noun + " starts with its type, as '- " + kind.example() + "')");
            return;
        }
        CompileHook hook = kind.hooks().get(type);
        Map<String, AttributeSchema> attributeTypes = new LinkedHashMap<>();
        projectAttributes(kind, type).forEach(a -> attributeTypes.put(a.name(), a));
        Map<String, YamlReader.Entry> attributes = new LinkedHashMap<>(entries);
        attributes.remove(type);
        List<String> allowed = new ArrayList<>(attributeTypes.keySet());
        allowed.addAll(kind.keys());
        yaml.onlyKeys(attributes, allowed, type + " " + noun);
        if (hook != null && !hook.accepts(yaml, attributes)) {
            return;
        }
        if (!included) {
            leftOut(kind, type, head.value(), scope);
            return;
        }
        Map<String, Location> locations = new HashMap<>();
        attributes.forEach((name, entry) -> locations.put(name, yaml.at(entry.value())));
        for (Map.Entry<Object, Object> item : forEachItems(yaml, attributes.get("for_each"), scope)) {
            Map<String, Object> itemScope = item == null ? scope : Scope.withItem(scope, item.getKey(), item.getValue());
            if (attributes.containsKey("when") && !holds(yaml, attributes.get("when").value(), itemScope)) {
                leftOut(kind, type, head.value(), itemScope);
                continue;
            }
            String name = render(yaml, head.value(), itemScope, String.format(kind.nameWhat(), type));
            if (name == null) {
                continue;
            }
            Map<String, Object> values = new TreeMap<>();
            for (var attribute : attributes.entrySet()) {
                AttributeSchema expected = attributeTypes.get(attribute.getKey());
                if (expected != null) {
                    Object value = convert(yaml, expected, attribute.getValue().value(), itemScope);
                    if (value != null) {
                        values.put(attribute.getKey(), value);
                    }
                }
            }
            if (hook != null) {
                hook.complete(files, yaml, attributes, values, itemScope);
            }
            out.accept(new Expanded(type, name, values, attributes, itemScope, yaml.at(head.key()), yaml.at(head.value()),
                    locations));
        }
    }

    /** What project files may set on a type: its schema's attributes, those of its kind, then its hook's. */
    static List<AttributeSchema> projectAttributes(Kind kind, String type) {
        List<AttributeSchema> attributes = new ArrayList<>(kind.types().schema(type).projectAttributes());
        attributes.addAll(kind.types().common());
        CompileHook hook = kind.hooks().get(type);
        if (hook != null) {
            attributes.addAll(hook.projectAttributes());
        }
        return attributes;
    }

    /**
     * {@code - block: [ENTRIES]} with a {@code when} for them all, as Ansible's block: each entry is compiled as if its
     * own {@code when} also asked for the block's. Blocks nest.
     */
    private void block(Kind kind, YamlReader yaml, Map<String, YamlReader.Entry> entries, Map<String, Object> scope,
                       Consumer<Expanded> out, boolean included) {
        yaml.onlyKeys(entries, List.of(BLOCK, "when"), "block");
        boolean holds = included && (!entries.containsKey("when") || holds(yaml, entries.get("when").value(), scope));
        String noun = kind.types().kind();
        for (Node entry : yaml.sequence(entries.get(BLOCK).value(), "a list of " + noun + "s, each as '- " + kind.example() + "'")) {
            compile(kind, yaml, entry, scope, out, holds);
        }
    }

    /**
     * Remembers the id of an entry its {@code when} left out, so that what refers to it can do without it; an entry
     * whose name does not render without its condition (it may need a variable the condition guards) has no id to
     * remember, and a reference to it stays an error.
     */
    private void leftOut(Kind kind, String type, Node name, Map<String, Object> scope) {
        if (name instanceof ScalarNode scalar) {
            try {
                leftOut.computeIfAbsent(kind, k -> new HashSet<>()).add(type + ":" + templates.renderString(scalar.getValue(), scope));
            } catch (TemplateError e) {
                // No id to remember.
            }
        }
    }

    /** The ids of the entries of {@code kind} a {@code when} left out of this catalog. */
    Set<String> leftOut(Kind kind) {
        return Collections.unmodifiableSet(leftOut.getOrDefault(kind, Set.of()));
    }

    /** The elements to expand: one null element when there is no {@code for_each}. */
    private List<Map.Entry<Object, Object>> forEachItems(YamlReader yaml, YamlReader.Entry forEach, Map<String, Object> scope) {
        List<Map.Entry<Object, Object>> items = new ArrayList<>();
        if (forEach == null) {
            items.add(null);
            return items;
        }
        Node node = forEach.value();
        Object value;
        if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.STR)) {
            Matcher whole = WHOLE_VARIABLE.matcher(scalar.getValue().strip());
            String name = whole.matches() ? whole.group(1) : scalar.getValue().strip();
            try {
                value = Scope.lookup(scope, name);
            } catch (TemplateError e) {
                yaml.problem(node, Templates.describe(e, scope));
                return items;
            }
            if (value == null) {
                yaml.problem(node, "for_each: undefined variable '" + name + "'; expected a list, a mapping, or the "
                        + "name of a variable holding one");
                return items;
            }
        } else if (node instanceof SequenceNode || node instanceof MappingNode) {
            try {
                value = Variables.computed("for_each", yaml.value(node), scope, templates);
            } catch (TemplateError e) {
                yaml.problem(node, Templates.describe(e, scope));
                return items;
            }
        } else {
            yaml.problem(node, "for_each expects a list, a mapping, or the name of a variable holding one; got "
                    + YamlReader.describe(node));
            return items;
        }
        if (value instanceof List<?> list) {
            list.forEach(element -> items.add(new AbstractMap.SimpleEntry<>(null, element)));
        } else if (value instanceof Map<?, ?> map) {
            new TreeMap<>(map).forEach((k, v) -> items.add(new AbstractMap.SimpleEntry<>(k, v)));
        } else {
            yaml.problem(node, "for_each expects a list or a mapping, got " + value.getClass().getSimpleName().toLowerCase()
                    + " '" + value + "'");
        }
        return items;
    }

    private boolean holds(YamlReader yaml, Node node, Map<String, Object> scope) {
        if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.BOOL)) {
            return Boolean.parseBoolean(scalar.getValue().toLowerCase());
        }
        if (!(node instanceof ScalarNode scalar) || !scalar.getTag().equals(Tag.STR)) {
            yaml.problem(node, "when expects true, false or an expression such as \"facts.os.id == 'debian'\"; got "
                    + YamlReader.describe(node));
            return false;
        }
        try {
            return templates.test(scalar.getValue(), scope);
        } catch (TemplateError e) {
            yaml.problem(node, "when: \"" + scalar.getValue() + "\": " + Templates.describe(e, scope)
                    + (e.kind() == TemplateError.Kind.SYNTAX ? "; expected an expression such as \"facts.os.id == 'debian'\"" : ""));
            return false;
        }
    }

    /**
     * Renders a scalar's text; null (with a problem) when it is not a scalar, does not render, or holds a NUL
     * character, which no name, path or command can.
     */
    String render(YamlReader yaml, Node node, Map<String, Object> scope, String what) {
        String text = renderAnyText(yaml, node, scope, what);
        if (text != null && text.indexOf('\0') >= 0) {
            yaml.problem(node, what + " contains a NUL character (\\0), which no name, path or command can hold; "
                    + "remove it");
            return null;
        }
        return text;
    }

    /** Renders a scalar's text, which may be anything a file can hold. */
    private String renderAnyText(YamlReader yaml, Node node, Map<String, Object> scope, String what) {
        return yaml.string(node, what).map(text -> {
            try {
                return templates.renderString(text, scope);
            } catch (TemplateError e) {
                yaml.problem(node, Templates.describe(e, scope) + " in '" + text + "'");
                return null;
            }
        }).orElse(null);
    }

    /** The value of one attribute as its type's schema declares it: text, a boolean, a number, a list or a mapping of text. */
    private Object convert(YamlReader yaml, AttributeSchema schema, Node node, Map<String, Object> scope) {
        String attribute = schema.name();
        Class<?> expected = schema.javaType();
        if (YamlReader.isNull(node)) {
            // "mode:" with nothing after it is a value forgotten, not the type's default asked for.
            yaml.problem(node, attribute + ": has no value; give it one, or remove the line to leave it unmanaged");
            return null;
        }
        if (expected == Map.class) {
            Map<String, Object> result = new TreeMap<>();
            yaml.mapping(node, attribute + ": a mapping of names to text").forEach((key, entry) -> {
                String value = render(yaml, entry.value(), scope, "text");
                if (value != null) {
                    result.put(key, value);
                }
            });
            return result;
        }
        if (expected == List.class) {
            if (!(node instanceof SequenceNode sequence)) {
                yaml.problem(node, attribute + " expects a list such as [a, b], got " + YamlReader.describe(node));
                return null;
            }
            List<String> result = new ArrayList<>();
            for (Node element : sequence.getValue()) {
                String value = render(yaml, element, scope, "text");
                if (value != null) {
                    result.add(value);
                }
            }
            return result;
        }
        if (!(node instanceof ScalarNode scalar)) {
            yaml.problem(node, attribute + " expects " + describe(expected) + ", got " + YamlReader.describe(node));
            return null;
        }
        if (schema.form() == Attribute.Form.FILE_MODE && !scalar.getTag().equals(Tag.STR)) {
            yaml.problem(node, attribute + " must be quoted, as \"0" + scalar.getValue().replaceFirst("^0+", "") + "\": "
                    + "unquoted, YAML reads " + scalar.getValue() + " as a decimal number");
            return null;
        }
        String text = schema.form() == Attribute.Form.ANY_TEXT ? renderAnyText(yaml, node, scope, attribute)
                : render(yaml, node, scope, attribute);
        if (text == null || expected == String.class) {
            return text;
        }
        if (expected == boolean.class || expected == Boolean.class) {
            if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(text.toLowerCase());
            }
        } else if (expected == Integer.class || expected == int.class) {
            if (text.matches("-?\\d{1,9}")) {
                return Integer.parseInt(text);
            }
        }
        yaml.problem(node, attribute + " expects " + describe(expected) + ", got '" + text + "'");
        return null;
    }

    private static String describe(Class<?> type) {
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        return type == Integer.class || type == int.class ? "a whole number" : "text";
    }
}
