package dev.plumb.compiler.jinja;

import dev.plumb.compiler.jinja.TemplateError.Kind;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Jinja2 as Ansible configures it for a project: its filters and tests, the global functions, and where
 * {@code include} finds templates.
 */
public final class Environment {

    /** Every global function a template can call. */
    public static final Set<String> FUNCTIONS = new TreeSet<>(List.of("range", "namespace", "dict"));

    private final Function<String, Template> includes;

    /** An environment whose {@code include 'NAME'} renders what {@code includes} returns for NAME. */
    public Environment(Function<String, Template> includes) {
        this.includes = includes;
    }

    Template include(String name) {
        return includes.apply(name);
    }

    Macro global(String name) {
        return switch (name) {
            case "range" -> (args, keywords) -> range(args);
            case "namespace", "dict" -> (args, keywords) -> {
                Map<String, Object> values = name.equals("dict") ? new java.util.LinkedHashMap<>() : new Context.Namespace();
                values.putAll(keywords);
                return values;
            };
            default -> null;
        };
    }

    /** Python's {@code range}, its numbers computed as they are read, at most {@link Limits#MAX_ELEMENTS} of them. */
    private static List<Object> range(List<Object> args) {
        if (args.isEmpty() || args.size() > 3) {
            throw Py.typeError("range expects 1 to 3 whole numbers (stop, or start, stop and step), got " + args.size());
        }
        long start = args.size() > 1 ? number(args.get(0)) : 0;
        long end = number(args.get(args.size() > 1 ? 1 : 0));
        long step = args.size() > 2 ? number(args.get(2)) : 1;
        if (step == 0) {
            throw TemplateError.at(Kind.TYPE, "range: the step must not be 0", null);
        }
        // Counted exactly: between the ends of the long range, end - start overflows a long.
        BigInteger span = step > 0 ? BigInteger.valueOf(end).subtract(BigInteger.valueOf(start))
                : BigInteger.valueOf(start).subtract(BigInteger.valueOf(end));
        BigInteger stride = BigInteger.valueOf(step).abs();
        BigInteger count = span.signum() <= 0 ? BigInteger.ZERO : span.add(stride).subtract(BigInteger.ONE).divide(stride);
        if (count.compareTo(BigInteger.valueOf(Limits.MAX_ELEMENTS)) > 0) {
            throw TemplateError.at(Kind.LIMIT, "range(" + start + ", " + end + ") has " + count + " numbers, more than "
                    + "the limit of " + Limits.MAX_ELEMENTS, null);
        }
        int length = count.intValue();
        return new java.util.AbstractList<>() {
            @Override
            public Object get(int index) {
                Limits.stopIfInterrupted();
                return start + index * step;
            }

            @Override
            public int size() {
                return length;
            }
        };
    }

    private static long number(Object value) {
        if (!(Py.defined(value) instanceof Long n)) {
            throw Py.typeError("range expects whole numbers, got " + Py.kind(value));
        }
        return n;
    }
}
