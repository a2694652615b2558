package dev.plumb.compiler.jinja;

import dev.plumb.compiler.jinja.TemplateError.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Jinja2's built-in filters and the Ansible filters roles rely on, with Ansible's meaning where they differ. */
public final class Filters {

    /** Every filter a template can use, for messages and the README. */
    public static final Set<String> NAMES = new TreeSet<>(List.of("abs", "b64decode", "b64encode", "basename", "bool",
            "capitalize", "combine", "comment", "count", "d", "default", "dict2items", "dictsort", "difference", "dirname",
            "first", "flatten", "float", "format", "indent", "int", "intersect", "items", "join", "last", "length", "list",
            "lower", "mandatory", "map", "max", "min", "quote", "regex_escape", "safe", "to_nice_json", "union",
            "regex_findall", "regex_replace", "regex_search", "reject", "rejectattr", "replace", "reverse", "round",
            "select", "selectattr", "sort", "split", "string", "sum", "ternary", "title", "to_json", "to_nice_yaml", "trim",
            "truncate", "unique",
            "upper", "wordcount"));

    private Filters() {
    }

    static Object apply(String name, Object input, List<Object> args, Map<String, Object> keywords, Context context) {
        if (!NAMES.contains(name)) {
            throw TemplateError.at(Kind.UNKNOWN_FILTER, name, null);
        }
        if (name.equals("default") || name.equals("d")) {
            boolean ifFalse = args.size() > 1 && Py.truthy(args.get(1)) || Py.truthy(keywords.getOrDefault("boolean", false));
            Object fallback = args.isEmpty() ? "" : args.get(0);
            return input instanceof Undefined || ifFalse && !Py.truthy(input) ? fallback : input;
        }
        if (name.equals("mandatory")) {
            if (input instanceof Undefined undefined) {
                throw args.isEmpty() ? undefined.error() : TemplateError.at(Kind.UNDEFINED, Py.str(args.get(0)), undefined.at());
            }
            return input;
        }
        Object value = Py.defined(input);
        for (Object arg : args) {
            Py.defined(arg);
        }
        return withinLimits(name, switch (name) {
            case "abs" -> value instanceof Double d ? (Object) Math.abs(d) : (Object) Math.abs((Long) value);
            case "basename" -> {
                String path = Py.str(value);
                yield path.substring(path.lastIndexOf('/') + 1);
            }
            case "dirname" -> {
                String path = Py.str(value);
                int slash = path.lastIndexOf('/');
                String head = slash < 0 ? "" : path.substring(0, slash + 1);
                yield head.matches("/+") ? head : head.replaceAll("/+$", "");
            }
            case "bool" -> toBool(value);
            case "capitalize" -> Methods.find(Py.str(value), "capitalize").call(List.of(), Map.of());
            case "comment" -> comment(Py.str(value), args.isEmpty() ? "plain" : Py.str(args.get(0)), keywords);
            case "count", "length" -> (long) Py.length(value);
            case "dict2items" -> ((Map<?, ?>) value).entrySet().stream().map(e -> {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("key", e.getKey());
                item.put("value", e.getValue());
                return (Object) item;
            }).toList();
            case "items" -> Methods.find(value, "items").call(List.of(), Map.of());
            case "first" -> Py.iterable(value).isEmpty() ? new Undefined(List.of("(first of an empty list)"), null) : Py.iterable(value).get(0);
            case "last" -> {
                List<?> list = Py.iterable(value);
                yield list.isEmpty() ? new Undefined(List.of("(last of an empty list)"), null) : list.get(list.size() - 1);
            }
            case "float" -> toFloat(value, args.isEmpty() ? 0.0 : args.get(0));
            case "int" -> toInt(value, args.isEmpty() ? 0L : args.get(0));
            case "format" -> Methods.percentFormat(Py.str(value), new Py.Tuple(args));
            case "indent" -> indent(Py.str(value), args.isEmpty() ? keywords.getOrDefault("width", 4L) : args.get(0),
                    Py.truthy(args.size() > 1 ? args.get(1) : keywords.getOrDefault("first", false)),
                    Py.truthy(args.size() > 2 ? args.get(2) : keywords.getOrDefault("blank", false)));
            case "join" -> {
                List<String> parts = new ArrayList<>();
                Object attribute = keywords.get("attribute");
                for (Object element : Py.iterable(value)) {
                    parts.add(Py.str(attribute == null ? element : Py.item(element, attribute)));
                }
                yield joined(parts, args.isEmpty() ? Py.str(keywords.getOrDefault("d", "")) : Py.str(args.get(0)));
            }
            case "list" -> new ArrayList<>(Py.iterable(value));
            case "lower" -> Py.str(value).toLowerCase();
            case "upper" -> Py.str(value).toUpperCase();
            case "title" -> title(Py.str(value));
            case "trim" -> Methods.strip(Py.str(value), args.isEmpty() ? null : args.get(0), true, true);
            case "string" -> Py.str(value);
            case "map" -> map(value, args, keywords, context);
            case "select", "reject" -> select(value, args, name.equals("select"), null);
            case "selectattr", "rejectattr" -> select(value, args.subList(1, args.size()), name.equals("selectattr"), args.get(0));
            case "max", "min" -> {
                List<?> list = Py.iterable(value);
                Object best = null;
                for (Object element : list) {
                    if (best == null || Py.compare(element, best, name) * (name.equals("max") ? 1 : -1) > 0) {
                        best = element;
                    }
                }
                yield best == null ? new Undefined(List.of("(" + name + " of an empty list)"), null) : best;
            }
            case "sum" -> {
                Object total = args.isEmpty() ? 0L : args.get(0);
                for (Object element : Py.iterable(value)) {
                    total = Py.add(total, element);
                }
                yield total;
            }
            case "regex_escape" -> Py.str(value).replaceAll("([^A-Za-z0-9_])", "\\\\$1");
            case "regex_replace" -> regexReplace(Py.str(value), args.isEmpty() ? "" : Py.str(args.get(0)),
                    args.size() > 1 ? Py.str(args.get(1)) : "", keywords);
            case "regex_search" -> regexSearch(Py.str(value), Py.str(args.get(0)), args.subList(1, args.size()), keywords);
            case "regex_findall" -> {
                Matcher matcher = matcher(Py.str(args.get(0)), keywords, Py.str(value));
                List<Object> found = new ArrayList<>();
                while (matcher.find()) {
                    Limits.checkSize(found.size() + 1L, "the filter regex_findall");
                    found.add(matcher.groupCount() == 0 ? matcher.group() : matcher.group(1));
                }
                yield found;
            }
            case "replace" -> Methods.find(Py.str(value), "replace").call(args, Map.of());
            case "reverse" -> {
                if (value instanceof String text) {
                    yield new StringBuilder(text).reverse().toString();
                }
                List<Object> reversed = new ArrayList<>(Py.iterable(value));
                java.util.Collections.reverse(reversed);
                yield reversed;
            }
            case "round" -> round(value, (Long) argument(args, keywords, 0, "precision", 0L),
                    Py.str(argument(args, keywords, 1, "method", "common")));
            case "sort" -> {
                List<Object> sorted = new ArrayList<>(Py.iterable(value));
                Object attribute = keywords.get("attribute");
                boolean reverse = Py.truthy(args.isEmpty() ? keywords.getOrDefault("reverse", false) : args.get(0));
                sorted.sort((a, b) -> {
                    Object x = attribute == null ? a : Py.item(a, attribute);
                    Object y = attribute == null ? b : Py.item(b, attribute);
                    int order = x instanceof String s && y instanceof String t ? s.toLowerCase().compareTo(t.toLowerCase())
                            : Py.compare(x, y, "sort");
                    return reverse ? -order : order;
                });
                yield sorted;
            }
            case "split" -> Methods.split(Py.str(value), args.isEmpty() ? null : args.get(0), -1, false);
            case "truncate" -> truncate(Py.str(value), (Long) argument(args, keywords, 0, "length", 255L),
                    Py.truthy(argument(args, keywords, 1, "killwords", false)), Py.str(argument(args, keywords, 2, "end", "...")),
                    (Long) argument(args, keywords, 3, "leeway", 5L));
            case "ternary" -> Py.truthy(value) ? args.get(0) : args.size() > 1 ? args.get(1) : null;
            case "to_json" -> Json.write(value, 0);
            case "to_nice_json" -> Json.write(value, args.isEmpty() ? (int) (long) (Long) keywords.getOrDefault("indent", 4L)
                    : (int) (long) (Long) args.get(0));
            case "safe" -> value;
            case "quote" -> shellQuoted(value == null ? "" : Py.str(value));
            case "b64encode" -> java.util.Base64.getEncoder().encodeToString(Py.str(value).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            case "b64decode" -> new String(java.util.Base64.getDecoder().decode(Py.str(value)), java.nio.charset.StandardCharsets.UTF_8);
            case "dictsort" -> sorted((Map<?, ?>) value).entrySet().stream()
                    .map(e -> (Object) new Py.Tuple(List.of(e.getKey(), e.getValue()))).toList();
            case "combine" -> {
                Object combined = value;
                for (Object other : args) {
                    combined = combined((Map<?, ?>) combined, (Map<?, ?>) other, Py.truthy(keywords.getOrDefault("recursive", false)));
                }
                yield combined;
            }
            case "flatten" -> flattened(Py.iterable(value), args.isEmpty() ? keywords.get("levels") : args.get(0));
            case "union" -> unique(concatenated(Py.iterable(value), Py.iterable(args.get(0))));
            case "intersect", "difference" -> {
                List<Object> kept = new ArrayList<>();
                for (Object element : Py.iterable(value)) {
                    Limits.stopIfInterrupted();
                    if (Py.contains(args.get(0), element) == name.equals("intersect")) {
                        kept.add(element);
                    }
                }
                yield unique(kept);
            }
            case "to_nice_yaml" -> NiceYaml.write(value, args.isEmpty() ? (Long) keywords.getOrDefault("indent", 4L) > 0
                    ? (int) (long) (Long) keywords.getOrDefault("indent", 4L) : 4 : (int) (long) (Long) args.get(0));
            case "unique" -> unique(Py.iterable(value));
            case "wordcount" -> (long) Methods.split(Py.str(value), null, -1, false).size();
            default -> throw new IllegalStateException("this is a bug in plumb: filter " + name + " listed but not applied");
        });
    }

    /** A filter's result, refused when it is longer than any value may be, as every other value is. */
    private static Object withinLimits(String name, Object result) {
        if (result instanceof String text) {
            Limits.checkLength(text.length(), "the filter " + name);
        } else if (result instanceof List<?> list) {
            Limits.checkSize(list.size(), "the filter " + name);
        }
        return result;
    }

    /** The filter's argument at {@code index}, else the one named {@code name}, else {@code fallback}. */
    private static Object argument(List<Object> args, Map<String, Object> keywords, int index, String name, Object fallback) {
        return index < args.size() ? args.get(index) : keywords.getOrDefault(name, fallback);
    }

    /**
     * Jinja2's {@code round}: by default Python's {@code round}, half to even on the number as stored (2.5 gives 2.0,
     * 2.675 to two places 2.67), a whole number staying whole; with method 'ceil' or 'floor', always up or down, to
     * a float.
     */
    private static Object round(Object value, long precision, String method) {
        java.math.RoundingMode mode = switch (method) {
            case "common" -> java.math.RoundingMode.HALF_EVEN;
            case "ceil" -> java.math.RoundingMode.CEILING;
            case "floor" -> java.math.RoundingMode.FLOOR;
            default -> throw Py.typeError("round: the method must be 'common', 'ceil' or 'floor', not '" + method + "'");
        };
        if (!Py.isNumber(value)) {
            throw Py.typeError("round expects a number, got " + Py.kind(value));
        }
        int digits = (int) Math.max(-400, Math.min(400, precision));
        if (!(value instanceof Double number)) {
            long whole = value instanceof Boolean b ? (b ? 1L : 0L) : (Long) value;
            java.math.BigDecimal rounded = java.math.BigDecimal.valueOf(whole).setScale(Math.min(0, digits), mode);
            return method.equals("common") ? (Object) rounded.longValue() : (Object) rounded.doubleValue();
        }
        if (number.isNaN() || number.isInfinite()) {
            return number;
        }
        return new java.math.BigDecimal(number).setScale(digits, mode).doubleValue();
    }

    /**
     * Jinja2's {@code truncate}: a text longer than {@code length} plus {@code leeway} characters cut to
     * {@code length} with {@code end}, at the last space before unless {@code killwords}.
     */
    private static String truncate(String text, long length, boolean killwords, String end, long leeway) {
        if (length < end.length() || leeway < 0) {
            throw Py.typeError("truncate: the length must be at least the length of the end ('" + end + "') and the "
                    + "leeway not negative; got length " + length + ", leeway " + leeway);
        }
        if (text.length() <= length || text.length() - length <= leeway) {
            return text;
        }
        String kept = text.substring(0, (int) (length - end.length()));
        int space = kept.lastIndexOf(' ');
        return (killwords || space < 0 ? kept : kept.substring(0, space)) + end;
    }

    private static List<Object> unique(List<?> values) {
        List<Object> unique = new ArrayList<>();
        for (Object element : values) {
            // Quadratic: a million elements would outlive the rendering's time without this.
            Limits.stopIfInterrupted();
            if (!Py.contains(unique, element)) {
                unique.add(element);
            }
        }
        return unique;
    }

    private static List<Object> concatenated(List<?> first, List<?> second) {
        Limits.checkSize((long) first.size() + second.size(), "the filter union");
        List<Object> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** Ansible's {@code flatten}: nested lists made one, None and the texts 'None' and 'null' left out. */
    private static List<Object> flattened(List<?> values, Object levels) {
        List<Object> flat = new ArrayList<>();
        for (Object element : values) {
            if (element == null || "None".equals(element) || "null".equals(element)) {
                continue;
            }
            if (element instanceof List<?> nested && (levels == null || (Long) levels >= 1)) {
                flat.addAll(flattened(nested, levels == null ? null : (Long) levels - 1));
            } else {
                flat.add(element);
            }
            Limits.checkSize(flat.size(), "the filter flatten");
        }
        return flat;
    }

    /** Ansible's {@code combine}: the later mapping's keys win; with recursive, mappings in both are combined too. */
    private static Map<Object, Object> combined(Map<?, ?> base, Map<?, ?> other, boolean recursive) {
        Map<Object, Object> result = new LinkedHashMap<>(base);
        other.forEach((key, value) -> result.put(key, recursive && result.get(key) instanceof Map<?, ?> a
                && value instanceof Map<?, ?> b ? combined(a, b, true) : value));
        return result;
    }

    /** Jinja2's {@code dictsort}: by key, text compared without case. */
    private static Map<Object, Object> sorted(Map<?, ?> map) {
        List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
        entries.sort((a, b) -> a.getKey() instanceof String x && b.getKey() instanceof String y
                ? x.toLowerCase().compareTo(y.toLowerCase()) : Py.compare(a.getKey(), b.getKey(), "dictsort"));
        Map<Object, Object> sorted = new LinkedHashMap<>();
        entries.forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** Python's {@code shlex.quote}: as it is when only safe characters, else in single quotes. */
    private static String shellQuoted(String text) {
        if (text.isEmpty()) {
            return "''";
        }
        return text.matches("[A-Za-z0-9_@%+=:,./-]+") ? text : "'" + text.replace("'", "'\"'\"'") + "'";
    }

    static String joined(List<String> parts, String separator) {
        long length = (long) separator.length() * Math.max(0, parts.size() - 1);
        for (String part : parts) {
            length += part.length();
        }
        Limits.checkLength(length, "the filter join");
        return String.join(separator, parts);
    }

    static String title(String s) {
        StringBuilder out = new StringBuilder();
        boolean start = true;
        for (char c : s.toCharArray()) {
            out.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
            start = !Character.isLetter(c) && c != '\'';
        }
        return out.toString();
    }

    /** Ansible's {@code bool}: yes, on, 1, true (any case) and 1 are true; None stays None. */
    private static Object toBool(Object value) {
        if (value == null || value instanceof Boolean) {
            return value;
        }
        if (value instanceof String text) {
            return Set.of("yes", "on", "1", "true").contains(text.toLowerCase());
        }
        return value instanceof Long n && n == 1 || value instanceof Double d && d == 1;
    }

    private static Object toInt(Object value, Object fallback) {
        if (value instanceof Long || value instanceof Boolean) {
            return value instanceof Boolean b ? (b ? 1L : 0L) : value;
        }
        if (value instanceof Double d) {
            return (long) d.doubleValue();
        }
        try {
            String text = Py.str(value).strip().replace("_", "");
            try {
                return Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
            } catch (NumberFormatException e) {
                return (long) Double.parseDouble(text);
            }
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static Object toFloat(Object value, Object fallback) {
        if (Py.isNumber(value)) {
            return value instanceof Boolean b ? (b ? 1.0 : 0.0) : ((Number) value).doubleValue();
        }
        try {
            return Double.parseDouble(Py.str(value).strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Jinja2's {@code indent}: lines after the first (and the first too, or empty ones, if asked) prefixed. */
    private static String indent(String text, Object width, boolean first, boolean blank) {
        if (width instanceof Long columns) {
            Limits.checkLength(columns, "the filter indent");
        }
        String prefix = width instanceof String s ? s : " ".repeat((int) Math.max(0, (long) (Long) width));
        // Jinja2 adds a newline before splitting, so that a text ending in one keeps it.
        List<String> lines = List.of((text + "\n").split("\n", -1)).subList(0, (text + "\n").split("\n", -1).length - 1);
        StringBuilder out = new StringBuilder(lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            out.append('\n').append(blank || !line.isEmpty() ? prefix : "").append(line);
        }
        Limits.checkLength((long) out.length() + prefix.length(), "the filter indent");
        return first ? prefix + out : out.toString();
    }

    /** Ansible's {@code comment} filter, with its styles plain, erlang, c, cblock and xml. */
    private static String comment(String text, String style, Map<String, Object> keywords) {
        Map<String, String> styles = Map.of("plain", "# ", "erlang", "% ", "c", "// ", "cblock", " * ", "xml", " - ");
        if (!styles.containsKey(style)) {
            throw Py.typeError("comment: unknown style '" + style + "'; styles: " + String.join(", ", new TreeSet<>(styles.keySet())));
        }
        String decoration = keywords.containsKey("decoration") ? Py.str(keywords.get("decoration")) : styles.get(style);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("newline", "\n");
        p.put("beginning", style.equals("cblock") ? "/*" : style.equals("xml") ? "<!--" : "");
        p.put("prefix", decoration.stripTrailing());
        p.put("prefix_count", 1L);
        p.put("decoration", decoration);
        p.put("postfix", decoration.stripTrailing());
        p.put("postfix_count", 1L);
        p.put("end", style.equals("cblock") ? " */" : style.equals("xml") ? "-->" : "");
        p.putAll(keywords);
        String newline = Py.str(p.get("newline"));
        String beginning = Py.str(p.get("beginning"));
        String prefix = Py.str(p.get("prefix"));
        String deco = Py.str(p.get("decoration"));
        String postfix = Py.str(p.get("postfix"));
        String end = Py.str(p.get("end"));
        StringBuilder out = new StringBuilder();
        if (!beginning.isEmpty()) {
            out.append(beginning).append(newline);
        }
        if (!prefix.isEmpty()) {
            Limits.checkLength((prefix.length() + newline.length()) * Math.max(0, (Long) p.get("prefix_count")), "the filter comment");
            out.append((prefix.equals(newline) ? newline : prefix + newline).repeat((int) (long) (Long) p.get("prefix_count")));
        }
        out.append((deco + text.replace(newline, newline + deco)).replace(deco + newline, deco.stripTrailing() + newline));
        for (long i = 0; i < (Long) p.get("postfix_count"); i++) {
            out.append(newline).append(postfix);
            Limits.checkLength(out.length(), "the filter comment");
        }
        if (!end.isEmpty()) {
            out.append(newline).append(end);
        }
        return out.toString();
    }

    private static Object map(Object value, List<Object> args, Map<String, Object> keywords, Context context) {
        List<Object> mapped = new ArrayList<>();
        for (Object element : Py.iterable(value)) {
            if (keywords.containsKey("attribute")) {
                Object found = Py.item(element, keywords.get("attribute"));
                mapped.add(found == Py.NOT_FOUND ? keywords.getOrDefault("default", new Undefined(List.of(Py.str(keywords.get("attribute"))), null)) : found);
            } else {
                mapped.add(apply(Py.str(args.get(0)), element, args.subList(1, args.size()), Map.of(), context));
            }
        }
        return mapped;
    }

    private static Object select(Object value, List<Object> args, boolean keep, Object attribute) {
        List<Object> selected = new ArrayList<>();
        for (Object element : Py.iterable(value)) {
            Object tested = attribute == null ? element : Py.item(element, attribute);
            if (tested == Py.NOT_FOUND) {
                tested = new Undefined(List.of(Py.str(attribute)), null);
            }
            boolean passes = args.isEmpty() ? Py.truthy(tested)
                    : Tests.apply(Py.str(args.get(0)), tested, args.subList(1, args.size()), Map.of());
            if (passes == keep) {
                selected.add(element);
            }
        }
        return selected;
    }

    /**
     * A matcher of the Python regular expression {@code pattern} on {@code text}, which stops, as the rest of a
     * rendering does, when the rendering's time is up.
     */
    static Matcher matcher(String pattern, Map<String, Object> keywords, String text) {
        return regex(pattern, keywords).matcher(Limits.interruptible(text));
    }

    private static Pattern regex(String pattern, Map<String, Object> keywords) {
        int flags = (Py.truthy(keywords.getOrDefault("ignorecase", false)) ? Pattern.CASE_INSENSITIVE : 0)
                | (Py.truthy(keywords.getOrDefault("multiline", false)) ? Pattern.MULTILINE : 0);
        try {
            return Pattern.compile(pattern.replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>"), flags);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw Py.typeError("the regular expression '" + pattern + "' is not valid: " + e.getDescription());
        }
    }

    /** Python's replacement syntax ({@code \1}, {@code \g<name>}) in Java's ({@code $1}, {@code ${name}}). */
    private static String pythonReplacement(String replacement) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < replacement.length(); i++) {
            char c = replacement.charAt(i);
            if (c == '\\' && i + 1 < replacement.length()) {
                char next = replacement.charAt(i + 1);
                Matcher group = Pattern.compile("g<(\\w+)>").matcher(replacement).region(i + 1, replacement.length());
                if (Character.isDigit(next)) {
                    out.append('$').append(next);
                    i++;
                } else if (group.lookingAt()) {
                    out.append(group.group(1).chars().allMatch(Character::isDigit) ? "$" + group.group(1) : "${" + group.group(1) + "}");
                    i = group.end() - 1;
                } else if (next == 'n') {
                    out.append('\n');
                    i++;
                } else {
                    out.append("\\\\");
                }
            } else if (c == '$') {
                out.append("\\$");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Ansible's {@code regex_replace}, refused as soon as the text it builds outgrows the limit, not once built. */
    private static String regexReplace(String text, String pattern, String replacement, Map<String, Object> keywords) {
        Matcher matcher = matcher(pattern, keywords, text);
        String javaReplacement = pythonReplacement(replacement);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, javaReplacement);
            Limits.checkLength((long) out.length() + text.length() - matcher.end(), "the filter regex_replace");
        }
        return matcher.appendTail(out).toString();
    }

    private static Object regexSearch(String value, String pattern, List<Object> groups, Map<String, Object> keywords) {
        Matcher matcher = matcher(pattern, keywords, value);
        if (!matcher.find()) {
            return null;
        }
        if (groups.isEmpty()) {
            return matcher.group();
        }
        List<Object> found = new ArrayList<>();
        for (Object group : groups) {
            String reference = Py.str(group);
            Matcher named = Pattern.compile("\\\\g<(\\S+)>").matcher(reference);
            found.add(named.matches() ? matcher.group(named.group(1)) : matcher.group(Integer.parseInt(reference.substring(1))));
        }
        return found;
    }
}
