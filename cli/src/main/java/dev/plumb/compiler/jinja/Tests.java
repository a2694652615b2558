package dev.plumb.compiler.jinja;

import dev.plumb.compiler.jinja.TemplateError.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Jinja2's tests ({@code is defined}, {@code is sameas true}) and Ansible's ({@code is version('7.6', '<')}, {@code is match}). */
public final class Tests {

    /** Every test a template can use after {@code is}. */
    public static final Set<String> NAMES = new TreeSet<>(List.of("boolean", "contains", "defined", "divisibleby",
            "eq", "equalto", "even", "false", "float", "ge", "gt", "in", "integer", "iterable", "le", "lower", "lt",
            "mapping", "match", "ne", "none", "number", "odd", "regex", "sameas", "search", "sequence", "string",
            "true", "truthy", "falsy", "undefined", "upper", "version", "version_compare"));

    private Tests() {
    }

    static boolean apply(String name, Object value, List<Object> args, Map<String, Object> keywords) {
        if (!NAMES.contains(name)) {
            throw TemplateError.at(Kind.UNKNOWN_TEST, name, null);
        }
        if (name.equals("defined") || name.equals("undefined")) {
            return (value instanceof Undefined) == name.equals("undefined");
        }
        value = Py.defined(value);
        Object arg = args.isEmpty() ? null : Py.defined(args.get(0));
        return switch (name) {
            case "boolean" -> value instanceof Boolean;
            case "true" -> Boolean.TRUE.equals(value);
            case "false" -> Boolean.FALSE.equals(value);
            case "none" -> value == null;
            // Python's identity: None, booleans, small numbers and equal short strings are each one object there.
            case "sameas" -> value == null ? arg == null : value instanceof Boolean || value instanceof Long || value instanceof String
                    ? value.equals(arg) : value == arg;
            case "truthy" -> Py.truthy(value);
            case "falsy" -> !Py.truthy(value);
            case "string" -> value instanceof String;
            case "number" -> Py.isNumber(value) && !(value instanceof Boolean);
            case "integer" -> value instanceof Long;
            case "float" -> value instanceof Double;
            case "mapping" -> value instanceof Map<?, ?>;
            case "sequence", "iterable" -> value instanceof List<?> || value instanceof String || value instanceof Map<?, ?>;
            case "lower" -> Py.str(value).equals(Py.str(value).toLowerCase());
            case "upper" -> Py.str(value).equals(Py.str(value).toUpperCase());
            case "even", "odd" -> ((Long) value) % 2 == (name.equals("even") ? 0 : 1) || ((Long) value) % 2 == -1 && name.equals("odd");
            case "divisibleby" -> ((Long) value) % (Long) arg == 0;
            case "eq", "equalto" -> Py.equal(value, arg);
            case "ne" -> !Py.equal(value, arg);
            case "lt", "le", "gt", "ge" -> Nodes.Compare.holds(Map.of("lt", "<", "le", "<=", "gt", ">", "ge", ">=").get(name), value, arg);
            case "in" -> Py.contains(arg, value);
            case "contains" -> Py.contains(value, arg);
            case "match" -> Filters.matcher(Py.str(arg), keywords, Py.str(value)).lookingAt();
            case "search", "regex" -> Filters.matcher(Py.str(arg), keywords, Py.str(value)).find();
            default -> version(Py.str(value), Py.str(arg),
                    args.size() > 1 ? Py.str(args.get(1)) : Py.str(keywords.getOrDefault("operator", "eq")));
        };
    }

    /**
     * Ansible's {@code version} test with its default loose comparison: numbers compared as numbers, the parts
     * between them as text, as Python's LooseVersion does.
     */
    private static boolean version(String value, String other, String operator) {
        int order = compareLoose(parts(value), parts(other));
        return switch (operator) {
            case "<", "lt" -> order < 0;
            case "<=", "le" -> order <= 0;
            case ">", "gt" -> order > 0;
            case ">=", "ge" -> order >= 0;
            case "==", "=", "eq" -> order == 0;
            case "!=", "<>", "ne" -> order != 0;
            default -> throw Py.typeError("version: unknown operator '" + operator + "'; use <, <=, >, >=, ==, != or lt, le, gt, ge, eq, ne");
        };
    }

    private static List<Object> parts(String version) {
        List<Object> parts = new ArrayList<>();
        var matcher = java.util.regex.Pattern.compile("\\d+|[a-zA-Z]+").matcher(version);
        while (matcher.find()) {
            String part = matcher.group();
            parts.add(Character.isDigit(part.charAt(0)) ? (Object) Long.parseLong(part) : part);
        }
        return parts;
    }

    private static int compareLoose(List<Object> a, List<Object> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            int order = x instanceof Long m && y instanceof Long n ? Long.compare(m, n)
                    : x instanceof Long ? -1 : y instanceof Long ? 1 : ((String) x).compareTo((String) y);
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
