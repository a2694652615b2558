package dev.plumb.compiler;

import dev.plumb.api.Suggestions;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.resources.ResourceTypes;
import dev.plumb.system.Hashing;
import dev.plumb.system.Utf8;
import io.pebbletemplates.pebble.error.PebbleException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Compiles one entry of a role's {@code resources} list, such as {@code - file: /etc/motd}, into catalog
 * resources: one per {@code for_each} element whose {@code when} holds, with every string rendered. Its
 * expansion ({@code for_each}, {@code when}) and value conversion serve checks too.
 */
final class ResourceCompiler {

    /** Attributes every resource type takes. */
    private static final List<String> COMMON = List.of("requires", "notify", "when", "for_each");
    /** Ways to give a file its content; at most one of them. */
    private static final List<String> FILE_CONTENT = List.of("content", "source", "template");
    private static final Pattern WHOLE_VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z_][\\w.]*)\\s*}}");
    private static final Pattern RESOURCE_ID = Pattern.compile("([a-z]+):(.+)");

    /** A compiled resource and where its declaration and each attribute are, for messages. */
    record Compiled(CatalogResource resource, Location location, Map<String, Location> attributes) {
    }

    private final Path projectDirectory;
    private final Templates templates;
    private final Problems problems;

    ResourceCompiler(Path projectDirectory, Templates templates, Problems problems) {
        this.projectDirectory = projectDirectory;
        this.templates = templates;
        this.problems = problems;
    }

    void compile(YamlReader yaml, Node entryNode, Map<String, Object> scope, List<Compiled> out) {
        Map<String, YamlReader.Entry> entries = yaml.mapping(entryNode, "a resource such as '- file: /etc/motd'");
        if (entries.isEmpty()) {
            if (YamlReader.isEmpty(entryNode)) {
                yaml.problem(entryNode, "empty resource; expected '- TYPE: NAME', such as '- file: /etc/motd'");
            }
            return;
        }
        YamlReader.Entry head = entries.values().iterator().next();
        String type = head.name();
        if (!ResourceTypes.REGISTRY.isKnown(type)) {
            yaml.problem(head.key(), "unknown resource type '" + type + "'; expected one of "
                    + String.join(", ", ResourceTypes.names()) + Suggestions.didYouMean(type, ResourceTypes.names())
                    + " (a resource starts with its type, as '- file: /etc/motd')");
            return;
        }
        Map<String, Class<?>> attributeTypes = attributeTypes(type);
        Map<String, YamlReader.Entry> attributes = new LinkedHashMap<>(entries);
        attributes.remove(type);
        List<String> allowed = new ArrayList<>(attributeTypes.keySet());
        allowed.addAll(COMMON);
        yaml.onlyKeys(attributes, allowed, type + " resource");
        if (type.equals("file")) {
            List<String> given = FILE_CONTENT.stream().filter(attributes::containsKey).toList();
            if (given.size() > 1) {
                yaml.problem(attributes.get(given.get(1)).key(), "give a file's content one way: " + String.join(", ", given)
                        + " are all set; keep one of them");
                return;
            }
        }
        Location location = yaml.at(head.key());
        Map<String, Location> locations = new HashMap<>();
        locations.put(ResourceTypes.REGISTRY.schema(type).nameAttribute(), yaml.at(head.value()));
        attributes.forEach((name, entry) -> locations.put(name, yaml.at(entry.value())));
        for (Map.Entry<Object, Object> item : forEachItems(yaml, attributes.get("for_each"), scope)) {
            Map<String, Object> itemScope = item == null ? scope : Scope.withItem(scope, item.getKey(), item.getValue());
            if (attributes.containsKey("when") && !holds(yaml, attributes.get("when").value(), itemScope)) {
                continue;
            }
            String name = render(yaml, head.value(), itemScope, "a resource name");
            if (name == null) {
                continue;
            }
            Map<String, Object> values = new TreeMap<>();
            for (var attribute : attributes.entrySet()) {
                Class<?> expected = attributeTypes.get(attribute.getKey());
                if (expected != null) {
                    Object value = convert(yaml, attribute.getKey(), attribute.getValue().value(), expected, itemScope);
                    if (value != null) {
                        values.put(attribute.getKey(), value);
                    }
                }
            }
            if (type.equals("file")) {
                resolveFileContent(yaml, attributes, values, itemScope);
            } else if (type.equals("package") && values.get("source") instanceof String deb) {
                byte[] content = readProjectFile(yaml, attributes.get("source").value(), "files", deb);
                if (content != null) {
                    values.put("sourceBase64", Base64.getEncoder().encodeToString(content));
                }
            }
            List<String> requires = references(yaml, attributes.get("requires"), itemScope);
            List<String> notify = references(yaml, attributes.get("notify"), itemScope);
            out.add(new Compiled(new CatalogResource(type, name, requires, notify, values), location, locations));
        }
    }

    /** A type's attributes as project files write them: a file takes source and template besides content. */
    private static Map<String, Class<?>> attributeTypes(String type) {
        Map<String, Class<?>> types = new LinkedHashMap<>();
        ResourceTypes.REGISTRY.schema(type).projectAttributes().forEach(a -> types.put(a.name(), a.javaType()));
        if (type.equals("file")) {
            types.put("source", String.class);
            types.put("template", String.class);
        }
        return types;
    }

    /** The elements to expand: one null element when there is no {@code for_each}. */
    List<Map.Entry<Object, Object>> forEachItems(YamlReader yaml, YamlReader.Entry forEach, Map<String, Object> scope) {
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
            value = Scope.lookup(scope, name);
            if (value == null) {
                yaml.problem(node, "for_each: undefined variable '" + name + "'; expected a list, a mapping, or the "
                        + "name of a variable holding one");
                return items;
            }
        } else if (node instanceof SequenceNode || node instanceof MappingNode) {
            value = yaml.value(node);
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

    boolean holds(YamlReader yaml, Node node, Map<String, Object> scope) {
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
        } catch (PebbleException e) {
            String problem = Templates.describe(e, scalar.getValue(), scope);
            yaml.problem(node, "when: \"" + scalar.getValue() + "\": " + problem + (problem.startsWith("unexpected")
                    ? "; expected an expression such as \"facts.os.id == 'debian'\"" : ""));
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
            } catch (PebbleException e) {
                yaml.problem(node, Templates.describe(e, text, scope) + " in '" + text + "'");
                return null;
            }
        }).orElse(null);
    }

    /** The value of one attribute as its resource type declares it: text, a boolean, a number, a list or a mapping of text. */
    Object convert(YamlReader yaml, String attribute, Node node, Class<?> expected, Map<String, Object> scope) {
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
        if (attribute.equals("mode") && !scalar.getTag().equals(Tag.STR)) {
            yaml.problem(node, "mode must be quoted, as \"0" + scalar.getValue().replaceFirst("^0+", "") + "\": "
                    + "unquoted, YAML reads " + scalar.getValue() + " as a decimal number");
            return null;
        }
        String text = attribute.equals("content") ? renderAnyText(yaml, node, scope, "content")
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

    /** Turns {@code source} or {@code template} into the content itself, and adds its hash. */
    private void resolveFileContent(YamlReader yaml, Map<String, YamlReader.Entry> attributes, Map<String, Object> values,
                                    Map<String, Object> scope) {
        byte[] content = null;
        Object source = values.remove("source");
        Object template = values.remove("template");
        if (source != null) {
            content = readProjectFile(yaml, attributes.get("source").value(), "files", source.toString());
            if (content != null) {
                String text = Utf8.decodeOrNull(content);
                values.put(text != null ? "content" : "contentBase64",
                        text != null ? text : Base64.getEncoder().encodeToString(content));
            }
        } else if (template != null) {
            content = renderTemplate(yaml, attributes.get("template").value(), template.toString(), scope);
            if (content != null) {
                values.put("content", new String(content, StandardCharsets.UTF_8));
            }
        } else if (values.get("content") instanceof String text) {
            content = text.getBytes(StandardCharsets.UTF_8);
        }
        if (content != null) {
            values.put("sha256", Hashing.sha256(content));
        }
    }

    private byte[] readProjectFile(YamlReader yaml, Node node, String directory, String name) {
        if (name.indexOf('\0') >= 0) {
            yaml.problem(node, "'" + name.replace("\0", "\\0") + "' is not a file name: it contains a NUL character");
            return null;
        }
        if (!Files.exists(projectDirectory.resolve(directory).resolve(name))) {
            yaml.problem(node, directory + "/" + name + " does not exist" + nearby(directory, name));
            return null;
        }
        try {
            return InputFiles.readInside(projectDirectory, directory, name);
        } catch (InputFiles.Unreadable e) {
            yaml.problem(node, directory + "/" + name + " " + e.getMessage());
            return null;
        }
    }

    private byte[] renderTemplate(YamlReader yaml, Node node, String name, Map<String, Object> scope) {
        byte[] bytes = readProjectFile(yaml, node, "templates", name);
        if (bytes == null) {
            return null;
        }
        String text;
        try {
            text = InputFiles.utf8(bytes);
        } catch (InputFiles.NotUtf8 e) {
            problems.add(new Location("templates/" + name, e.line, e.column), e.getMessage());
            return null;
        }
        try {
            return templates.renderFile(name, scope).getBytes(StandardCharsets.UTF_8);
        } catch (PebbleException e) {
            int line = e.getLineNumber() == null ? 0 : e.getLineNumber();
            problems.add(new Location("templates/" + name, line, 0), Templates.describe(e, text, scope)
                    + " (rendering for the file resource at " + yaml.at(node) + ")");
            return null;
        }
    }

    /** " ; did you mean 'app.conf.j2'?" from the files that do exist in that directory. */
    private String nearby(String directory, String name) {
        try (var list = Files.list(projectDirectory.resolve(directory))) {
            return Suggestions.didYouMean(name, list.map(p -> p.getFileName().toString()).toList());
        } catch (IOException e) {
            return "";
        }
    }

    private List<String> references(YamlReader yaml, YamlReader.Entry entry, Map<String, Object> scope) {
        if (entry == null) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        List<Node> nodes = entry.value() instanceof SequenceNode sequence ? sequence.getValue() : List.of(entry.value());
        for (Node node : nodes) {
            String id = render(yaml, node, scope, "a resource id such as file:/etc/motd");
            if (id == null) {
                continue;
            }
            Matcher matcher = RESOURCE_ID.matcher(id);
            if (!matcher.matches() || !ResourceTypes.REGISTRY.isKnown(matcher.group(1))) {
                String type = matcher.matches() ? matcher.group(1) : id;
                yaml.problem(node, entry.name() + ": '" + id + "' is not a resource id; expected type:name such as "
                        + "file:/etc/motd" + (matcher.matches() ? Suggestions.didYouMean(type, ResourceTypes.names()) : ""));
                continue;
            }
            ids.add(id);
        }
        return ids;
    }
}
