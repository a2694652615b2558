package dev.plumb.compiler.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's methods on the values a template handles, as roles call them: {@code name.split(' ')[0]},
 * {@code host.startswith('web')}, {@code vars.items()}. Nothing else of Java or Python is reachable.
 */
final class Methods {

    static final Set<String> STRING = new TreeSet<>(List.of("capitalize", "count", "endswith", "find", "format",
            "isalnum", "isalpha", "isdigit", "islower", "isspace", "isupper", "join", "ljust", "lower", "lstrip",
            "replace", "rfind", "rjust", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "title",
            "upper", "zfill"));
    static final Set<String> LIST = new TreeSet<>(List.of("count", "index"));
    static final Set<String> MAPPING = new TreeSet<>(List.of("get", "items", "keys", "values"));

    private Methods() {
    }

    /** The method {@code name} of {@code value}, or null when it has none of that name. */
    static Macro find(Object value, String name) {
        if (value instanceof String text && STRING.contains(name)) {
            return (args, keywords) -> string(text, name, args);
        }
        if (value instanceof List<?> list && LIST.contains(name)) {
            return (args, keywords) -> {
                int index = -1;
                long count = 0;
                for (int i = 0; i < list.size(); i++) {
                    if (Py.equal(list.get(i), arg(args, 0))) {
                        index = index < 0 ? i : index;
                        count++;
                    }
                }
                if (name.equals("count")) {
                    return count;
                }
                if (index < 0) {
                    throw Py.typeError(Py.repr(arg(args, 0)) + " is not in the list");
                }
                return (long) index;
            };
        }
        if (value instanceof Map<?, ?> map && MAPPING.contains(name)) {
            return (args, keywords) -> switch (name) {
                case "get" -> map.containsKey(arg(args, 0)) ? Py.normalize(map.get(arg(args, 0))) : arg(args, 1);
                case "keys" -> new ArrayList<>(map.keySet());
                case "values" -> new ArrayList<>(map.values());
                default -> map.entrySet().stream().map(e -> (Object) new Py.Tuple(List.of(e.getKey(), e.getValue()))).toList();
            };
        }
        return null;
    }

    /** The methods a value has, for a message. */
    static Set<String> of(Object value) {
        return value instanceof String ? STRING : value instanceof List<?> ? LIST : value instanceof Map<?, ?> ? MAPPING : Set.of();
    }

    private static Object arg(List<Object> args, int index) {
        return index < args.size() ? args.get(index) : null;
    }

    private static String text(List<Object> args, int index) {
        Object value = arg(args, index);
        if (!(value instanceof String text)) {
            throw Py.typeError("expected a string as argument " + (index + 1) + ", got " + Py.kind(value));
        }
        return text;
    }

    private static Object string(String s, String name, List<Object> args) {
        switch (name) {
            case "upper": return s.toUpperCase();
            case "lower": return s.toLowerCase();
            case "capitalize": return s.isEmpty() ? s : s.substring(0, 1).toUpperCase() + s.substring(1).toLowerCase();
            case "title": return Filters.title(s);
            case "strip": return strip(s, arg(args, 0), true, true);
            case "lstrip": return strip(s, arg(args, 0), true, false);
            case "rstrip": return strip(s, arg(args, 0), false, true);
            case "startswith": return startsOrEnds(s, arg(args, 0), true);
            case "endswith": return startsOrEnds(s, arg(args, 0), false);
            case "replace": {
                long count = args.size() > 2 ? (Long) args.get(2) : -1;
                String result = s;
                if (count < 0) {
                    result = s.replace(text(args, 0), text(args, 1));
                } else {
                    for (long i = 0; i < count; i++) {
                        result = result.replaceFirst(Pattern.quote(text(args, 0)), Matcher.quoteReplacement(text(args, 1)));
                    }
                }
                Limits.checkLength(result.length(), "replace");
                return result;
            }
            case "split": return split(s, arg(args, 0), args.size() > 1 ? (Long) args.get(1) : -1, false);
            case "rsplit": return split(s, arg(args, 0), args.size() > 1 ? (Long) args.get(1) : -1, true);
            case "splitlines": return new ArrayList<Object>(List.of(s.split("\r\n|\r|\n")));
            case "join": {
                List<String> parts = new ArrayList<>();
                Py.iterable(arg(args, 0)).forEach(part -> parts.add(Py.str(part)));
                return Filters.joined(parts, s);
            }
            case "find": return (long) s.indexOf(text(args, 0));
            case "rfind": return (long) s.lastIndexOf(text(args, 0));
            case "count": return (long) (s.length() - s.replace(text(args, 0), "").length()) / Math.max(1, text(args, 0).length());
            case "isdigit": return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            case "isalpha": return !s.isEmpty() && s.chars().allMatch(Character::isLetter);
            case "isalnum": return !s.isEmpty() && s.chars().allMatch(Character::isLetterOrDigit);
            case "isspace": return !s.isEmpty() && s.chars().allMatch(Character::isWhitespace);
            case "islower": return s.chars().anyMatch(Character::isLetter) && s.equals(s.toLowerCase());
            case "isupper": return s.chars().anyMatch(Character::isLetter) && s.equals(s.toUpperCase());
            case "ljust", "rjust", "zfill": {
                long width = (Long) arg(args, 0);
                Limits.checkLength(width, name);
                String fill = (name.equals("zfill") ? "0" : args.size() > 1 ? text(args, 1) : " ").repeat((int) Math.max(0, width - s.length()));
                return name.equals("ljust") ? s + fill : fill + s;
            }
            default: return format(s, args);
        }
    }

    private static boolean startsOrEnds(String s, Object prefix, boolean start) {
        for (Object candidate : prefix instanceof List<?> list ? list : List.of(Py.str(prefix))) {
            if (start ? s.startsWith(Py.str(candidate)) : s.endsWith(Py.str(candidate))) {
                return true;
            }
        }
        return false;
    }

    static String strip(String s, Object characters, boolean left, boolean right) {
        String set = characters == null ? null : Py.str(characters);
        int start = 0;
        int end = s.length();
        while (left && start < end && (set == null ? Character.isWhitespace(s.charAt(start)) : set.indexOf(s.charAt(start)) >= 0)) {
            start++;
        }
        while (right && end > start && (set == null ? Character.isWhitespace(s.charAt(end - 1)) : set.indexOf(s.charAt(end - 1)) >= 0)) {
            end--;
        }
        return s.substring(start, end);
    }

    /** Python's {@code str.split}: on runs of whitespace without a separator, else on each separator exactly. */
    static List<Object> split(String s, Object separator, long max, boolean fromRight) {
        List<Object> parts = new ArrayList<>();
        if (separator == null) {
            String trimmed = s.strip();
            if (!trimmed.isEmpty()) {
                String[] words = trimmed.split("\\s+", max < 0 ? -1 : (int) max + 1);
                if (fromRight && max >= 0) {
                    return rsplitWhitespace(trimmed, max);
                }
                parts.addAll(List.of(words));
            }
            return parts;
        }
        String sep = Py.str(separator);
        if (sep.isEmpty()) {
            throw Py.typeError("split: empty separator");
        }
        if (fromRight && max >= 0) {
            int end = s.length();
            List<Object> reversed = new ArrayList<>();
            for (long i = 0; i < max; i++) {
                int at = s.lastIndexOf(sep, end - sep.length());
                if (at < 0 || end - sep.length() < 0) {
                    break;
                }
                reversed.add(0, s.substring(at + sep.length(), end));
                end = at;
            }
            reversed.add(0, s.substring(0, end));
            return reversed;
        }
        int start = 0;
        for (int at = s.indexOf(sep); at >= 0 && (max < 0 || parts.size() < max); at = s.indexOf(sep, start)) {
            parts.add(s.substring(start, at));
            start = at + sep.length();
        }
        parts.add(s.substring(start));
        return parts;
    }

    private static List<Object> rsplitWhitespace(String trimmed, long max) {
        List<Object> words = new ArrayList<>(List.of(trimmed.split("\\s+")));
        while (words.size() > max + 1) {
            Object first = words.remove(0);
            Object second = words.remove(0);
            words.add(0, first + " " + second);
        }
        return words;
    }

    private static final Pattern FIELD = Pattern.compile("\\{\\{|}}|\\{([^{}:!]*)(?:![rs])?(?::([^{}]*))?}");

    /** {@code '{} on {}'.format(a, b)} with positional and numbered fields. */
    private static String format(String s, List<Object> args) {
        Matcher field = FIELD.matcher(s);
        StringBuilder out = new StringBuilder();
        int next = 0;
        while (field.find()) {
            String replacement;
            if (field.group().equals("{{") || field.group().equals("}}")) {
                replacement = field.group().substring(1);
            } else {
                if (field.group(2) != null && !field.group(2).isEmpty()) {
                    throw Py.typeError("format: the spec ':" + field.group(2) + "' is not supported; write '{}' and "
                            + "shape the value with filters, or use the format filter ('%5s'|format(x))");
                }
                int index = field.group(1).isEmpty() ? next++ : Integer.parseInt(field.group(1));
                replacement = Py.str(arg(args, index));
            }
            field.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        field.appendTail(out);
        return out.toString();
    }

    private static final Pattern PERCENT = Pattern.compile("%(-?)(\\d*)(?:\\.(\\d+))?([sdifrxXoe%])");

    /** {@code '%s:%d' % (host, port)} and the {@code format} filter. */
    static String percentFormat(String format, Object values) {
        List<?> args = values instanceof Py.Tuple tuple ? tuple : List.of(values == null ? "None" : values);
        Matcher spec = PERCENT.matcher(format);
        StringBuilder out = new StringBuilder();
        int next = 0;
        while (spec.find()) {
            String replacement;
            if (spec.group(4).equals("%")) {
                replacement = "%";
            } else {
                Object value = next < args.size() ? args.get(next++) : null;
                replacement = switch (spec.group(4)) {
                    case "d", "i" -> Long.toString(((Number) value).longValue());
                    case "f", "e" -> String.format(java.util.Locale.ROOT, "%." + (spec.group(3) == null ? "6" : spec.group(3))
                            + spec.group(4), ((Number) value).doubleValue());
                    case "x", "X", "o" -> String.format("%" + spec.group(4), ((Number) value).longValue());
                    case "r" -> Py.repr(value);
                    default -> Py.str(value);
                };
                if (!spec.group(2).isEmpty()) {
                    long width = spec.group(2).length() > 18 ? Long.MAX_VALUE : Long.parseLong(spec.group(2));
                    Limits.checkLength(width, "'%' formatting");
                    boolean zeros = spec.group(2).startsWith("0") && spec.group(1).isEmpty();
                    String sign = zeros && replacement.startsWith("-") ? "-" : "";
                    replacement = replacement.substring(sign.length());
                    String pad = (zeros ? "0" : " ").repeat((int) Math.max(0, width - sign.length() - replacement.length()));
                    replacement = zeros ? sign + pad + replacement : replacement;
                    pad = zeros ? "" : pad;
                    replacement = spec.group(1).isEmpty() ? pad + replacement : replacement + pad;
                }
            }
            spec.appendReplacement(out, Matcher.quoteReplacement(replacement));
            Limits.checkLength(out.length(), "'%' formatting");
        }
        spec.appendTail(out);
        return out.toString();
    }
}
