package dev.plumb.compiler.jinja;

import dev.plumb.compiler.jinja.TemplateError.Kind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Python's meaning of the values a template handles, as Jinja2 gives them: text, whole numbers (long), floats
 * (double), booleans, None (null), lists, tuples, mappings. Truth, text form, equality, ordering and arithmetic
 * follow Python so that a template renders as Ansible renders it.
 */
final class Py {

    private Py() {
    }

    /** A fixed sequence written {@code (a, b)}. */
    static final class Tuple extends java.util.AbstractList<Object> {
        private final List<Object> elements;

        Tuple(List<Object> elements) {
            this.elements = elements;
        }

        @Override
        public Object get(int index) {
            return elements.get(index);
        }

        @Override
        public int size() {
            return elements.size();
        }
    }

    static Object normalize(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        return value instanceof Float f ? f.doubleValue() : value;
    }

    static TemplateError typeError(String message) {
        return TemplateError.at(Kind.TYPE, message, null);
    }

    /** Fails on an undefined value; every use of a value but a test or a default goes through here. */
    static Object defined(Object value) {
        if (value instanceof Undefined undefined) {
            throw undefined.error();
        }
        return value;
    }

    static boolean truthy(Object value) {
        value = defined(value);
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Long n) {
            return n != 0;
        }
        if (value instanceof Double d) {
            return d != 0;
        }
        if (value instanceof CharSequence text) {
            return text.length() > 0;
        }
        if (value instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        return !(value instanceof Map<?, ?> m) || !m.isEmpty();
    }

    /** Python's {@code str()}. */
    static String str(Object value) {
        value = defined(value);
        if (value instanceof String text) {
            return text;
        }
        return repr(value);
    }

    /** Python's {@code repr()}: strings quoted, as inside a printed list. */
    static String repr(Object value) {
        value = defined(value);
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof Double d) {
            return floatText(d);
        }
        if (value instanceof CharSequence text) {
            return quoted(text.toString());
        }
        if (value instanceof Tuple tuple) {
            return "(" + joined(tuple) + (tuple.size() == 1 ? ",)" : ")");
        }
        if (value instanceof List<?> list) {
            return "[" + joined(list) + "]";
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            map.forEach((k, v) -> out.append(out.length() > 1 ? ", " : "").append(repr(k)).append(": ").append(repr(v)));
            return out.append('}').toString();
        }
        return value.toString();
    }

    private static String joined(List<?> list) {
        StringBuilder out = new StringBuilder();
        for (Object element : list) {
            Limits.check(out.length());
            out.append(out.length() > 0 ? ", " : "").append(repr(element));
        }
        return out.toString();
    }

    private static String quoted(String text) {
        char quote = text.contains("'") && !text.contains("\"") ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c == quote) {
                        out.append('\\');
                    }
                    out.append(c);
                }
            }
        }
        return out.append(quote).toString();
    }

    /** A float as Python writes it: {@code 1.0}, {@code 0.30000000000000004}, {@code 1e+16}, {@code inf}. */
    static String floatText(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        double magnitude = Math.abs(d);
        if (d == 0 || magnitude >= 1e-4 && magnitude < 1e16) {
            String plain = new BigDecimal(Double.toString(d)).toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exponent = exact.precision() - exact.scale() - 1;
        String digits = exact.unscaledValue().abs().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (d < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
                + Math.abs(exponent);
    }

    static boolean isNumber(Object value) {
        return value instanceof Long || value instanceof Double || value instanceof Boolean;
    }

    private static double asDouble(Object value) {
        return value instanceof Boolean b ? (b ? 1 : 0) : ((Number) value).doubleValue();
    }

    private static long asLong(Object value) {
        return value instanceof Boolean b ? (b ? 1 : 0) : ((Number) value).longValue();
    }

    static boolean equal(Object left, Object right) {
        left = defined(left);
        right = defined(right);
        if (isNumber(left) && isNumber(right)) {
            return left instanceof Double || right instanceof Double ? asDouble(left) == asDouble(right) : asLong(left) == asLong(right);
        }
        if (left instanceof List<?> a && right instanceof List<?> b) {
            if (a.size() != b.size() || (a instanceof Tuple) != (b instanceof Tuple)) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equal(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (left instanceof CharSequence a && right instanceof CharSequence b) {
            return a.toString().equals(b.toString());
        }
        return Objects.equals(left, right);
    }

    static int compare(Object left, Object right, String operator) {
        left = defined(left);
        right = defined(right);
        if (isNumber(left) && isNumber(right)) {
            return left instanceof Double || right instanceof Double ? Double.compare(asDouble(left), asDouble(right))
                    : Long.compare(asLong(left), asLong(right));
        }
        if (left instanceof CharSequence a && right instanceof CharSequence b) {
            return Integer.signum(a.toString().compareTo(b.toString()));
        }
        if (left instanceof List<?> a && right instanceof List<?> b) {
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                if (!equal(a.get(i), b.get(i))) {
                    return compare(a.get(i), b.get(i), operator);
                }
            }
            return Integer.compare(a.size(), b.size());
        }
        throw typeError("'" + operator + "' cannot compare " + kind(left) + " with " + kind(right));
    }

    static boolean contains(Object container, Object element) {
        container = defined(container);
        element = defined(element);
        if (container instanceof CharSequence text) {
            if (!(element instanceof CharSequence)) {
                throw typeError("'in <string>' requires a string on the left, not " + kind(element));
            }
            return text.toString().contains(element.toString());
        }
        if (container instanceof Map<?, ?> map) {
            return map.containsKey(element);
        }
        if (container instanceof Collection<?> list) {
            for (Object candidate : list) {
                if (equal(candidate, element)) {
                    return true;
                }
            }
            return false;
        }
        throw typeError("'in' needs a list, mapping or text on the right, not " + kind(container));
    }

    /** What a for loop or filter walks through: a list's elements, a mapping's keys, a string's characters. */
    static List<?> iterable(Object value) {
        value = defined(value);
        if (value instanceof List<?> list) {
            return list;
        }
        if (value instanceof Collection<?> collection) {
            return new ArrayList<>(collection);
        }
        if (value instanceof Map<?, ?> map) {
            return new ArrayList<>(map.keySet());
        }
        if (value instanceof String text) {
            List<Object> characters = new ArrayList<>();
            text.codePoints().forEach(c -> characters.add(new String(Character.toChars(c))));
            return characters;
        }
        throw typeError(kind(value) + " cannot be looped over; expected a list or a mapping");
    }

    static int length(Object value) {
        value = defined(value);
        if (value instanceof CharSequence text) {
            return text.toString().codePointCount(0, text.length());
        }
        if (value instanceof Collection<?> c) {
            return c.size();
        }
        if (value instanceof Map<?, ?> m) {
            return m.size();
        }
        throw typeError(kind(value) + " has no length");
    }

    /** What a value is, for a message, without printing a value that may be large. */
    static String kind(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Long) {
            return "a whole number";
        }
        if (value instanceof Double) {
            return "a float";
        }
        if (value instanceof CharSequence) {
            return "a string";
        }
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        return value instanceof Macro ? "a macro" : "a " + value.getClass().getSimpleName();
    }

    static Object add(Object left, Object right) {
        left = defined(left);
        right = defined(right);
        if (left instanceof CharSequence a && right instanceof CharSequence b) {
            return Limits.string(a.toString(), b.toString(), "'+'");
        }
        if (left instanceof List<?> a && right instanceof List<?> b) {
            Limits.checkSize((long) a.size() + b.size(), "'+'");
            List<Object> sum = new ArrayList<>(a);
            sum.addAll(b);
            return left instanceof Tuple ? new Tuple(sum) : sum;
        }
        if (isNumber(left) && isNumber(right)) {
            return left instanceof Double || right instanceof Double ? (Object) (asDouble(left) + asDouble(right))
                    : (Object) Math.addExact(asLong(left), asLong(right));
        }
        throw typeError("'+' adds numbers, text or lists; got " + kind(left) + " and " + kind(right));
    }

    static Object arithmetic(String operator, Object left, Object right) {
        left = defined(left);
        right = defined(right);
        if (operator.equals("*") && (left instanceof CharSequence || left instanceof List<?>) && right instanceof Long times) {
            return repeat(left, times);
        }
        if (operator.equals("%") && left instanceof CharSequence format) {
            return Methods.percentFormat(format.toString(), right);
        }
        if (!isNumber(left) || !isNumber(right)) {
            throw typeError("'" + operator + "' needs numbers; got " + kind(left) + " and " + kind(right));
        }
        boolean floats = left instanceof Double || right instanceof Double;
        double a = asDouble(left);
        double b = asDouble(right);
        if ((operator.equals("/") || operator.equals("//") || operator.equals("%")) && b == 0) {
            throw typeError("division by zero");
        }
        switch (operator) {
            case "-":
                return floats ? (Object) (a - b) : (Object) Math.subtractExact(asLong(left), asLong(right));
            case "*":
                return floats ? (Object) (a * b) : (Object) Math.multiplyExact(asLong(left), asLong(right));
            case "/":
                return a / b;
            case "//":
                return floats ? (Object) Math.floor(a / b) : (Object) Math.floorDiv(asLong(left), asLong(right));
            case "%":
                return floats ? (Object) (a - b * Math.floor(a / b)) : (Object) Math.floorMod(asLong(left), asLong(right));
            default:
                if (!floats && asLong(right) >= 0) {
                    return java.math.BigInteger.valueOf(asLong(left)).pow((int) Math.min(asLong(right), 64)).longValueExact();
                }
                return Math.pow(a, b);
        }
    }

    private static Object repeat(Object value, long times) {
        if (value instanceof CharSequence text) {
            Limits.checkLength((long) text.length() * Math.max(times, 0), "'*'");
            return text.toString().repeat((int) Math.max(times, 0));
        }
        List<?> list = (List<?>) value;
        Limits.checkSize((long) list.size() * Math.max(times, 0), "'*'");
        List<Object> repeated = new ArrayList<>();
        for (long i = 0; i < times; i++) {
            repeated.addAll(list);
        }
        return repeated;
    }

    /** {@code value[key]} and {@code value.key}: a mapping's entry, a list's element, a string's character. */
    static Object item(Object value, Object key) {
        if (value instanceof Map<?, ?> map) {
            return map.containsKey(key) ? Py.normalize(map.get(key)) : NOT_FOUND;
        }
        if ((value instanceof List<?> || value instanceof CharSequence) && key instanceof Long index) {
            int size = length(value);
            long at = index < 0 ? index + size : index;
            if (at < 0 || at >= size) {
                return NOT_FOUND;
            }
            return value instanceof List<?> list ? Py.normalize(list.get((int) at))
                    : iterable(value).get((int) at);
        }
        return NOT_FOUND;
    }

    /** What {@link #item} returns for a key or index that is not there. */
    static final Object NOT_FOUND = new Object();
}
