package dev.plumb.compiler;

import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.Extension;
import io.pebbletemplates.pebble.extension.ExtensionCustomizer;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.extension.core.JoinFilter;
import io.pebbletemplates.pebble.extension.escaper.SafeString;
import io.pebbletemplates.pebble.lexer.Token;
import io.pebbletemplates.pebble.node.BodyNode;
import io.pebbletemplates.pebble.node.ForNode;
import io.pebbletemplates.pebble.node.MacroNode;
import io.pebbletemplates.pebble.node.RenderableNode;
import io.pebbletemplates.pebble.node.expression.BinaryExpression;
import io.pebbletemplates.pebble.operator.BinaryOperator;
import io.pebbletemplates.pebble.operator.BinaryOperatorImpl;
import io.pebbletemplates.pebble.parser.Parser;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.EvaluationContextImpl;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import io.pebbletemplates.pebble.template.PebbleTemplateImpl;
import io.pebbletemplates.pebble.tokenParser.TokenParser;
import io.pebbletemplates.pebble.utils.OperatorUtils;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Pebble's built-in operators, filters, functions and loops with plumb's limits. Pebble bounds only what a
 * template finally writes; a value built inside it, as a string doubled forty times with {@code ~}, would exhaust
 * memory first. Here every operation that can grow a value refuses a string over {@link #MAX_CHARS} characters
 * or a list over {@link #MAX_ELEMENTS} elements before building it, and every one of them, and every loop step,
 * stops a rendering whose time is up.
 */
final class TemplateLimits extends ExtensionCustomizer {

    /** The most characters one value may hold: the most a template may write. */
    static final int MAX_CHARS = 16 << 20;
    /** The most elements one list may hold, as many as a {@code range()} may yield. */
    static final int MAX_ELEMENTS = (int) BoundedRange.MAX_LENGTH;

    TemplateLimits(Extension pebble) {
        super(pebble);
    }

    /** Ends a rendering whose time is up; called at every write, loop step and growing operation. */
    static void stopIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new PebbleException(null, "rendering abandoned: its time is up");
        }
    }

    @Override
    public List<BinaryOperator> getBinaryOperators() {
        List<BinaryOperator> operators = super.getBinaryOperators();
        return operators == null ? null : operators.stream().map(TemplateLimits::bounded).toList();
    }

    private static BinaryOperator bounded(BinaryOperator operator) {
        Supplier<BinaryExpression<?>> bounded = switch (operator.getSymbol()) {
            case "~" -> Concatenation::new;
            case "+" -> Addition::new;
            default -> null;
        };
        return bounded == null ? operator : new BinaryOperatorImpl(operator.getSymbol(), operator.getPrecedence(),
                bounded, operator.getType(), operator.getAssociativity());
    }

    @Override
    public Map<String, Filter> getFilters() {
        Map<String, Filter> filters = super.getFilters();
        if (filters == null) {
            return null;
        }
        Map<String, Filter> bounded = new LinkedHashMap<>();
        filters.forEach((name, filter) -> bounded.put(name, new BoundedFilter(name, filter)));
        return bounded;
    }

    @Override
    public Map<String, Function> getFunctions() {
        Map<String, Function> functions = super.getFunctions();
        if (functions == null || !functions.containsKey("range")) {
            return functions;
        }
        Map<String, Function> bounded = new LinkedHashMap<>(functions);
        bounded.put("range", new BoundedRange.Range());
        return bounded;
    }

    @Override
    public List<TokenParser> getTokenParsers() {
        List<TokenParser> parsers = super.getTokenParsers();
        return parsers == null ? null : parsers.stream().map(parser -> switch (parser.getTag()) {
            case "for", "macro" -> new Interruptible(parser);
            default -> parser;
        }).toList();
    }

    /** What a value is, for a message, without printing a value that may be large. */
    private static String kind(Object value) {
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        return value instanceof Boolean ? "a boolean" : value == null ? "nothing (null)" : "a " + value.getClass().getSimpleName();
    }

    /** The characters of a string, or -1 for a value that is not one. */
    private static long length(Object value) {
        if (value instanceof CharSequence text) {
            return text.length();
        }
        return value instanceof SafeString safe ? safe.toString().length() : -1;
    }

    private static void checkLength(long length, String what, int line, PebbleTemplate self) {
        if (length > MAX_CHARS) {
            throw new PebbleException(null, what + " would make a string of " + length + " characters, more than "
                    + "the limit of " + MAX_CHARS + " (16 MiB) for one value; look for a loop that keeps growing "
                    + "a string", line, self.getName());
        }
    }

    private static void checkSize(long size, String what, int line, PebbleTemplate self) {
        if (size > MAX_ELEMENTS) {
            throw new PebbleException(null, what + " would make a list of " + size + " elements, more than the "
                    + "limit of " + MAX_ELEMENTS + " for one value; look for a loop that keeps growing a list",
                    line, self.getName());
        }
    }

    private static String concatenated(Object left, Object right, String what, int line, PebbleTemplate self) {
        stopIfInterrupted();
        String first = left == null ? "" : left.toString();
        String second = right == null ? "" : right.toString();
        checkLength((long) first.length() + second.length(), what, line, self);
        return first + second;
    }

    /** {@code a ~ b}: the two as text, one after the other. */
    private static final class Concatenation extends BinaryExpression<Object> {
        @Override
        public Object evaluate(PebbleTemplateImpl self, EvaluationContextImpl context) {
            return concatenated(getLeftExpression().evaluate(self, context), getRightExpression().evaluate(self, context),
                    "'~'", getLineNumber(), self);
        }
    }

    /**
     * {@code a + b}: numbers added, text joined, or a new list with the element or elements added. Pebble adds
     * to the left list itself, which fails on plumb's read-only variables.
     */
    private static final class Addition extends BinaryExpression<Object> {
        @Override
        public Object evaluate(PebbleTemplateImpl self, EvaluationContextImpl context) {
            Object left = getLeftExpression().evaluate(self, context);
            Object right = getRightExpression().evaluate(self, context);
            if (length(left) >= 0 || length(right) >= 0) {
                return concatenated(left, right, "'+'", getLineNumber(), self);
            }
            if (left instanceof List<?> list) {
                stopIfInterrupted();
                Collection<?> added = right instanceof Collection<?> elements ? elements : Collections.singletonList(right);
                checkSize((long) list.size() + added.size(), "'+'", getLineNumber(), self);
                List<Object> sum = new ArrayList<>(list);
                sum.addAll(added);
                return sum;
            }
            try {
                return OperatorUtils.add(left, right);
            } catch (RuntimeException e) {
                throw new PebbleException(e, "'+' adds numbers, text or lists; got " + kind(left) + " and " + kind(right),
                        getLineNumber(), self.getName());
            }
        }
    }

    /**
     * A built-in filter whose result is refused when too large; {@code join}, which multiplies what it is given,
     * is checked before it builds the text.
     */
    private record BoundedFilter(String name, Filter filter) implements Filter {
        @Override
        public List<String> getArgumentNames() {
            return filter.getArgumentNames();
        }

        @Override
        public Object apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext context,
                            int line) {
            stopIfInterrupted();
            String what = "the filter " + name;
            if (filter instanceof JoinFilter && input instanceof Collection<?> elements) {
                long length = (long) elements.size() * Objects.toString(args.get("separator"), "").length();
                for (Object element : elements) {
                    length += String.valueOf(element).length();
                }
                checkLength(length, what, line, self);
            }
            Object result = filter.apply(input, args, self, context, line);
            checkLength(length(result), what, line, self);
            if (result instanceof Collection<?> elements) {
                checkSize(elements.size(), what, line, self);
            }
            return result;
        }
    }

    /**
     * Pebble's {@code for} and {@code macro}, stopped at their next step or call when the rendering's time is up:
     * the two ways a template repeats work without end, in loops or in a macro that calls itself twice.
     */
    private record Interruptible(TokenParser pebble) implements TokenParser {
        @Override
        public String getTag() {
            return pebble.getTag();
        }

        @Override
        public RenderableNode parse(Token token, Parser parser) {
            RenderableNode node = pebble.parse(token, parser);
            if (node instanceof ForNode loop) {
                return new ForNode(loop.getLineNumber(), loop.getIterationVariable(), loop.getIterable(),
                        new InterruptibleBody(loop.getBody()), loop.getElseBody());
            }
            MacroNode macro = (MacroNode) node;
            MacroNode interruptible = new MacroNode(macro.getName(), macro.getArgs(), new InterruptibleBody(macro.getBody()));
            interruptible.setLineNumber(macro.getLineNumber());
            return interruptible;
        }
    }

    private static final class InterruptibleBody extends BodyNode {
        InterruptibleBody(BodyNode body) {
            super(body.getLineNumber(), body.getChildren());
            setOnlyRenderInheritanceSafeNodes(body.isOnlyRenderInheritanceSafeNodes());
        }

        @Override
        public void render(PebbleTemplateImpl self, Writer writer, EvaluationContextImpl context) throws IOException {
            stopIfInterrupted();
            super.render(self, writer, context);
        }
    }
}
