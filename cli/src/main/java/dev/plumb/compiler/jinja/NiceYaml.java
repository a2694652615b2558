package dev.plumb.compiler.jinja;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Ansible's {@code to_nice_yaml}: PyYAML's block style with keys sorted, nested mappings indented by
 * {@code indent} (4), lists under a key not indented, and a string quoted (single quotes) only where YAML 1.1 would
 * read it as something else. Strings are not folded at 80 columns, as PyYAML folds long ones; a multi-line string
 * is written double-quoted with {@code \n}.
 */
final class NiceYaml {

    /** What YAML 1.1 reads as a boolean, null, number or timestamp, so that a string like it must be quoted. */
    private static final Pattern NOT_A_STRING = Pattern.compile(
            "(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
            + "|~|null|Null|NULL|=|<<"
            + "|[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"
            + "|[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
            + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)"
            + "|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?.*)");
    private static final String LEADING_INDICATORS = "#,[]{}&*!|>'\"%@`";

    private final int indent;
    private final StringBuilder out = new StringBuilder();

    private NiceYaml(int indent) {
        this.indent = indent;
    }

    static String write(Object value, int indent) {
        NiceYaml yaml = new NiceYaml(indent);
        yaml.node(Py.normalize(Py.defined(value)), 0, false);
        return yaml.out.toString();
    }

    /** Writes a value that starts where the cursor is; {@code column} is the indentation of its block. */
    private void node(Object value, int column, boolean inSequence) {
        Limits.check(out.length());
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            boolean first = true;
            for (Map.Entry<String, Object> entry : sorted(map).entrySet()) {
                if (!first || !inSequence) {
                    out.append(" ".repeat(first && inSequence ? 0 : column));
                }
                first = false;
                out.append(scalar(entry.getKey())).append(':');
                Object child = Py.normalize(entry.getValue());
                if (child instanceof Map<?, ?> m && !m.isEmpty()) {
                    out.append('\n');
                    node(child, column + indent, false);
                } else if (child instanceof List<?> l && !l.isEmpty()) {
                    out.append('\n');
                    node(child, column, false);
                } else {
                    out.append(' ').append(scalar(child)).append('\n');
                }
            }
        } else if (value instanceof List<?> list && !list.isEmpty()) {
            boolean first = true;
            for (Object element : list) {
                out.append(" ".repeat(first && inSequence ? 0 : column)).append('-');
                first = false;
                Object child = Py.normalize(element);
                if (child instanceof Map<?, ?> m && !m.isEmpty() || child instanceof List<?> l && !l.isEmpty()) {
                    out.append(" ".repeat(indent - 1));
                    node(child, column + indent, true);
                } else {
                    out.append(' ').append(scalar(child)).append('\n');
                }
            }
        } else {
            out.append(scalar(value)).append('\n');
        }
    }

    private static Map<String, Object> sorted(Map<?, ?> map) {
        Map<String, Object> sorted = new TreeMap<>();
        map.forEach((k, v) -> sorted.put(Py.str(k), v));
        return sorted;
    }

    private static String scalar(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (value instanceof Map<?, ?>) {
            return "{}";
        }
        if (value instanceof List<?>) {
            return "[]";
        }
        if (!(value instanceof String text)) {
            return Py.str(value);
        }
        if (text.contains("\n")) {
            return Json.write(text, 0);
        }
        return needsQuotes(text) ? "'" + text.replace("'", "''") + "'" : text;
    }

    private static boolean needsQuotes(String text) {
        if (text.isEmpty() || NOT_A_STRING.matcher(text).matches() || Character.isWhitespace(text.charAt(0))
                || Character.isWhitespace(text.charAt(text.length() - 1))) {
            return true;
        }
        char first = text.charAt(0);
        boolean spaceAfterFirst = text.length() == 1 || text.charAt(1) == ' ';
        return LEADING_INDICATORS.indexOf(first) >= 0 || "-?:".indexOf(first) >= 0 && spaceAfterFirst
                || text.contains(": ") || text.endsWith(":") || text.contains(" #")
                || text.chars().anyMatch(c -> c < 0x20 && c != '\t');
    }
}
