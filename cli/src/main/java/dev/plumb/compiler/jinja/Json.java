package dev.plumb.compiler.jinja;

import java.util.List;
import java.util.Map;

/**
 * {@code to_json} as Python's {@code json.dumps} writes it by default ({@code ", "} and {@code ": "}, non-ASCII
 * escaped), and {@code to_nice_json} as Ansible asks for it: indented, keys sorted.
 */
final class Json {

    private Json() {
    }

    /** The value as JSON; {@code indent} 0 on one line, else indented by that many spaces with keys sorted. */
    static String write(Object value, int indent) {
        StringBuilder out = new StringBuilder();
        write(value, out, indent, 0);
        return out.toString();
    }

    /** Before the next element: a comma after the first, and in indented JSON a new line at the depth's indent. */
    private static void separate(StringBuilder out, boolean first, int indent, int depth) {
        if (!first) {
            out.append(indent > 0 ? "," : ", ");
        }
        if (indent > 0) {
            out.append('\n').append(" ".repeat(indent * depth));
        }
    }

    private static void write(Object value, StringBuilder out, int indent, int depth) {
        Limits.check(out.length());
        value = Py.normalize(Py.defined(value));
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean b) {
            out.append(b);
        } else if (value instanceof Long || value instanceof Double) {
            out.append(value instanceof Double d ? Py.floatText(d).replace("inf", "Infinity").replace("nan", "NaN") : value);
        } else if (value instanceof Map<?, ?> map) {
            Map<?, ?> entries = indent > 0 ? new java.util.TreeMap<>(map) : map;
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : entries.entrySet()) {
                separate(out, first, indent, depth + 1);
                first = false;
                string(Py.str(entry.getKey()), out);
                out.append(": ");
                write(entry.getValue(), out, indent, depth + 1);
            }
            if (!map.isEmpty()) {
                separate(out, true, indent, depth);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                separate(out, i == 0, indent, depth + 1);
                write(Py.normalize(list.get(i)), out, indent, depth + 1);
            }
            if (!list.isEmpty()) {
                separate(out, true, indent, depth);
            }
            out.append(']');
        } else {
            string(Py.str(value), out);
        }
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        out.append('"');
    }
}
