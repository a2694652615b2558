package dev.plumb.compiler;

import dev.plumb.api.Location;
import dev.plumb.api.Suggestions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads one YAML file as a tree of nodes that remember where they came from, and turns its parts into
 * values while recording a located problem for anything of the wrong shape.
 */
final class YamlReader {

    private static final Set<String> NULLS = Set.of("~", "Null", "NULL");


    /** One key of a mapping with its value, both with their positions. */
    record Entry(ScalarNode key, Node value) {
        String name() {
            return key.getValue();
        }
    }

    private final String file;
    private final Problems problems;

    YamlReader(String file, Problems problems) {
        this.file = file;
        this.problems = problems;
    }

    /** The root node of {@code projectDir/relative}; empty when the file is empty or is not valid YAML. */
    static Optional<Node> parse(Path projectDir, String relative, Problems problems) {
        try {
            return parse(relative, InputFiles.read(projectDir.resolve(relative)), problems);
        } catch (InputFiles.Unreadable e) {
            problems.add(new Location(relative, 0, 0), e.getMessage());
            return Optional.empty();
        }
    }

    /** {@code bytes}, the content of {@code relative}, as a YAML node; empty, with the problem, when it is not. */
    static Optional<Node> parse(String relative, byte[] bytes, Problems problems) {
        String text;
        try {
            text = InputFiles.utf8(bytes);
        } catch (InputFiles.NotUtf8 e) {
            problems.add(new Location(relative, e.line, e.column), e.getMessage());
            return Optional.empty();
        }
        try {
            return YamlBounds.compose(relative, text);
        } catch (MarkedYamlEngineException e) {
            Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
            Location location = mark == null ? new Location(relative, 0, 0)
                    : new Location(relative, mark.getLine() + 1, mark.getColumn() + 1);
            String context = e.getContext() == null || e.getContext().isBlank() ? "" : " (" + e.getContext() + ")";
            problems.add(location, "invalid YAML: " + e.getProblem() + context);
        } catch (ReaderException e) {
            problems.add(at(relative, text, e.getPosition()), "invalid YAML: the character U+"
                    + String.format("%04X", e.getCodePoint()) + " is not allowed in YAML; write it as an escape such "
                    + "as \\u0000 in a double-quoted string, or remove it");
        } catch (YamlEngineException e) {
            problems.add(new Location(relative, 0, 0), "invalid YAML: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** The line and column of a code point position in the text. */
    private static Location at(String file, String text, int codePointPosition) {
        int end = text.offsetByCodePoints(0, Math.min(codePointPosition, text.codePointCount(0, text.length())));
        int lineStart = text.lastIndexOf('\n', end - 1) + 1;
        int line = (int) text.substring(0, lineStart).chars().filter(c -> c == '\n').count() + 1;
        return new Location(file, line, text.codePointCount(lineStart, end) + 1);
    }

    /** The same file, recording problems in {@code other}: each compilation collects its own. */
    YamlReader reporting(Problems other) {
        return new YamlReader(file, other);
    }

    Location at(Node node) {
        return node.getStartMark().map(m -> new Location(file, m.getLine() + 1, m.getColumn() + 1))
                .orElse(new Location(file, 0, 0));
    }

    void problem(Node node, String message) {
        problems.add(at(node), message);
    }

    /** The entries of a mapping in file order; a problem and no entries when the node is something else. */
    Map<String, Entry> mapping(Node node, String expected) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        if (!(node instanceof MappingNode mapping)) {
            if (!isNull(node)) {
                problem(node, "expected " + expected + ", got " + describe(node));
            }
            return entries;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                problem(tuple.getKeyNode(), "expected a plain key, got " + describe(tuple.getKeyNode()));
                continue;
            }
            if (entries.containsKey(key.getValue())) {
                problem(key, "duplicate key '" + key.getValue() + "' (first at line "
                        + at(entries.get(key.getValue()).key()).line() + ")"
                        + (key.getValue().equals("line") ? "; a line resource takes its line under 'text:'" : ""));
                continue;
            }
            entries.put(key.getValue(), new Entry(key, tuple.getValueNode()));
        }
        return entries;
    }

    /** Reports every key not in {@code allowed}, suggesting the closest allowed one. */
    void onlyKeys(Map<String, Entry> entries, Collection<String> allowed, String where) {
        for (Entry entry : entries.values()) {
            if (!allowed.contains(entry.name())) {
                problem(entry.key(), "unknown key '" + entry.name() + "' in " + where + "; expected one of "
                        + String.join(", ", allowed) + Suggestions.didYouMean(entry.name(), allowed));
            }
        }
    }

    /** The items of a sequence; a problem and no items when the node is something else. */
    List<Node> sequence(Node node, String expected) {
        if (node instanceof SequenceNode sequence) {
            return sequence.getValue();
        }
        if (!isNull(node)) {
            problem(node, "expected " + expected + ", got " + describe(node));
        }
        return List.of();
    }

    /** A scalar as text; empty, with a problem, for null, lists and maps. */
    Optional<String> string(Node node, String what) {
        if (node instanceof ScalarNode scalar && !isNull(node)) {
            return Optional.of(scalar.getValue());
        }
        problem(node, "expected " + what + ", got " + describe(node));
        return Optional.empty();
    }

    /** One string or a list of strings, as {@code groups: web} or {@code groups: [web, db]}. */
    List<String> strings(Node node, String what) {
        if (node instanceof ScalarNode && !isNull(node)) {
            return List.of(((ScalarNode) node).getValue());
        }
        List<String> result = new ArrayList<>();
        for (Node item : sequence(node, what + " or a list of them")) {
            string(item, what).ifPresent(result::add);
        }
        return result;
    }

    /**
     * The node as a plain value: maps, lists, strings, longs, doubles, booleans and null; a string with template
     * syntax is kept as written, to be computed where it is used.
     */
    Object value(Node node) {
        if (node instanceof ScalarNode scalar) {
            Object value = scalar(scalar);
            return value instanceof String text && Templates.isTemplated(text) ? new Variables.Deferred(text, at(node)) : value;
        }
        if (node instanceof SequenceNode sequence) {
            List<Object> list = new ArrayList<>();
            sequence.getValue().forEach(item -> list.add(value(item)));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        mapping(node, "a mapping").forEach((key, entry) -> map.put(key, value(entry.value())));
        return map;
    }

    static Object scalar(ScalarNode scalar) {
        Tag tag = scalar.getTag();
        String text = scalar.getValue();
        try {
            if (isNull(scalar)) {
                return null;
            }
            if (tag.equals(Tag.BOOL)) {
                return Boolean.parseBoolean(text.toLowerCase());
            }
            if (tag.equals(Tag.INT)) {
                return text.startsWith("0x") ? Long.parseLong(text.substring(2), 16)
                        : text.startsWith("0o") ? Long.parseLong(text.substring(2), 8) : Long.parseLong(text);
            }
            if (tag.equals(Tag.FLOAT)) {
                return Double.parseDouble(text);
            }
        } catch (NumberFormatException e) {
            return text;
        }
        return text;
    }

    /** Nothing, or a mapping with nothing in it: {@code - } or {@code - {}} in a list. */
    static boolean isEmpty(Node node) {
        return isNull(node) || node instanceof MappingNode mapping && mapping.getValue().isEmpty();
    }

    /** Nothing: empty, {@code null}, or, as YAML 1.1 and Ansible read it, a plain {@code ~}, {@code Null} or {@code NULL}. */
    static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && (scalar.getTag().equals(Tag.NULL)
                || scalar.getScalarStyle() == ScalarStyle.PLAIN && NULLS.contains(scalar.getValue()));
    }

    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode scalar = (ScalarNode) node;
        if (isNull(scalar)) {
            return "nothing";
        }
        String kind = scalar.getTag().equals(Tag.INT) || scalar.getTag().equals(Tag.FLOAT) ? "the number "
                : scalar.getTag().equals(Tag.BOOL) ? "the boolean " : "'";
        return kind + scalar.getValue() + (kind.equals("'") ? "'" : "");
    }
}
