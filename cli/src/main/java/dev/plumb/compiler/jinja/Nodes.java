package dev.plumb.compiler.jinja;

import dev.plumb.api.Suggestions;
import dev.plumb.compiler.jinja.TemplateError.Kind;
import dev.plumb.compiler.jinja.TemplateError.Position;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parsed template: expressions that compute values and statements that write text. */
final class Nodes {

    private Nodes() {
    }

    /** An expression, evaluated in a context; errors that do not yet say where are placed at its start. */
    abstract static class Expr {
        final Position at;

        Expr(Position at) {
            this.at = at;
        }

        final Object eval(Context context) {
            try {
                return evaluate(context);
            } catch (TemplateError e) {
                throw e.locatedAt(at);
            } catch (ArithmeticException e) {
                throw TemplateError.at(Kind.TYPE, "the number is too large for a whole number (" + e.getMessage() + ")", at);
            } catch (ClassCastException | IndexOutOfBoundsException | NumberFormatException e) {
                throw TemplateError.at(Kind.TYPE, "a value of the wrong kind for this operation", at);
            }
        }

        abstract Object evaluate(Context context);
    }

    /** A statement, writing to {@code out}. */
    interface Stmt {
        void render(Context context, StringBuilder out);
    }

    static void renderAll(List<Stmt> body, Context context, StringBuilder out) {
        for (Stmt statement : body) {
            statement.render(context, out);
        }
    }

    static void write(StringBuilder out, String text) {
        Limits.check((long) out.length() + text.length());
        out.append(text);
    }

    // ---- expressions

    static final class Literal extends Expr {
        final Object value;

        Literal(Position at, Object value) {
            super(at);
            this.value = value;
        }

        @Override
        Object evaluate(Context context) {
            return value;
        }
    }

    static final class Name extends Expr {
        final String name;

        Name(Position at, String name) {
            super(at);
            this.name = name;
        }

        @Override
        Object evaluate(Context context) {
            return context.lookup(name, at);
        }
    }

    /** {@code a.b} and {@code a['b']}: a mapping's entry or a sequence's element, else undefined. */
    static final class Item extends Expr {
        final Expr target;
        final Expr key;
        final boolean dotted;

        Item(Position at, Expr target, Expr key, boolean dotted) {
            super(at);
            this.target = target;
            this.key = key;
            this.dotted = dotted;
        }

        @Override
        Object evaluate(Context context) {
            Object value = target.eval(context);
            if (value instanceof Undefined) {
                return value;
            }
            Object name = Py.defined(key.eval(context));
            Object found = Py.item(value, name);
            if (found != Py.NOT_FOUND) {
                return found;
            }
            List<String> base = target instanceof Name n ? List.of(n.name) : target instanceof Item i ? i.pathOf() : null;
            String written = base == null ? "the value" : String.join(".", base);
            List<String> path = new ArrayList<>(base == null ? List.of(written) : base);
            path.add(String.valueOf(name));
            if (!(value instanceof Map<?, ?> map)) {
                return new Undefined(path, "'" + written + "' is " + Py.kind(value) + ", which has no "
                        + (dotted ? "attribute '" + name + "'" : "element " + Py.repr(name)), at);
            }
            String suggestion = Suggestions.didYouMean(String.valueOf(name), map.keySet().stream().map(String::valueOf).toList());
            return new Undefined(path, "undefined variable '" + String.join(".", path) + "'"
                    + suggestion.replace("mean '", "mean '" + written + "."), at);
        }

        /** The dotted name this item is written as ({@code facts.os.id}), or null when it is computed. */
        List<String> pathOf() {
            List<String> base = target instanceof Name n ? List.of(n.name) : target instanceof Item i ? i.pathOf() : null;
            if (base == null || !(key instanceof Literal literal)) {
                return null;
            }
            List<String> path = new ArrayList<>(base);
            path.add(String.valueOf(literal.value));
            return path;
        }
    }

    static final class Slice extends Expr {
        final Expr target;
        final Expr start;
        final Expr stop;
        final Expr step;

        Slice(Position at, Expr target, Expr start, Expr stop, Expr step) {
            super(at);
            this.target = target;
            this.start = start;
            this.stop = stop;
            this.step = step;
        }

        @Override
        Object evaluate(Context context) {
            Object value = Py.defined(target.eval(context));
            List<?> elements = Py.iterable(value);
            int size = elements.size();
            long by = step == null ? 1 : (Long) Py.defined(step.eval(context));
            if (by == 0) {
                throw Py.typeError("slice step cannot be zero");
            }
            long from = bound(start, context, by > 0 ? 0 : size - 1, size, by);
            long to = bound(stop, context, by > 0 ? size : -1, size, by);
            List<Object> result = new ArrayList<>();
            for (long i = from; by > 0 ? i < to : i > to; i += by) {
                result.add(elements.get((int) i));
            }
            if (value instanceof String) {
                StringBuilder text = new StringBuilder();
                result.forEach(text::append);
                return text.toString();
            }
            return value instanceof Py.Tuple ? new Py.Tuple(result) : result;
        }

        private static long bound(Expr expr, Context context, long otherwise, int size, long step) {
            if (expr == null) {
                return otherwise;
            }
            long index = (Long) Py.defined(expr.eval(context));
            if (index < 0) {
                index += size;
            }
            return step > 0 ? Math.max(0, Math.min(index, size)) : Math.max(-1, Math.min(index, size - 1));
        }
    }

    static final class ListExpr extends Expr {
        final List<Expr> elements;
        final boolean tuple;

        ListExpr(Position at, List<Expr> elements, boolean tuple) {
            super(at);
            this.elements = elements;
            this.tuple = tuple;
        }

        @Override
        Object evaluate(Context context) {
            List<Object> values = new ArrayList<>();
            for (Expr element : elements) {
                values.add(Py.defined(element.eval(context)));
            }
            return tuple ? new Py.Tuple(values) : values;
        }
    }

    static final class DictExpr extends Expr {
        final List<Expr> keys;
        final List<Expr> values;

        DictExpr(Position at, List<Expr> keys, List<Expr> values) {
            super(at);
            this.keys = keys;
            this.values = values;
        }

        @Override
        Object evaluate(Context context) {
            Map<Object, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                map.put(Py.defined(keys.get(i).eval(context)), Py.defined(values.get(i).eval(context)));
            }
            return map;
        }
    }

    static final class Binary extends Expr {
        final String operator;
        final Expr left;
        final Expr right;

        Binary(Position at, String operator, Expr left, Expr right) {
            super(at);
            this.operator = operator;
            this.left = left;
            this.right = right;
        }

        @Override
        Object evaluate(Context context) {
            switch (operator) {
                case "and": {
                    Object first = left.eval(context);
                    return Py.truthy(first) ? right.eval(context) : first;
                }
                case "or": {
                    Object first = left.eval(context);
                    return Py.truthy(first) ? first : right.eval(context);
                }
                case "~":
                    return Limits.string(Py.str(left.eval(context)), Py.str(right.eval(context)), "'~'");
                case "+":
                    return Py.add(left.eval(context), right.eval(context));
                default:
                    return Py.arithmetic(operator, left.eval(context), right.eval(context));
            }
        }
    }

    static final class Unary extends Expr {
        final String operator;
        final Expr operand;

        Unary(Position at, String operator, Expr operand) {
            super(at);
            this.operator = operator;
            this.operand = operand;
        }

        @Override
        Object evaluate(Context context) {
            Object value = operand.eval(context);
            if (operator.equals("not")) {
                return !Py.truthy(value);
            }
            value = Py.defined(value);
            if (!Py.isNumber(value)) {
                throw Py.typeError("'" + operator + "' needs a number, got " + Py.kind(value));
            }
            if (operator.equals("+")) {
                return value;
            }
            return value instanceof Double d ? (Object) (-d) : (Object) Math.negateExact(value instanceof Boolean b ? (b ? 1L : 0L) : (Long) value);
        }
    }

    /** {@code a < b <= c}, {@code x in list}, {@code x not in list}. */
    static final class Compare extends Expr {
        final Expr first;
        final List<String> operators;
        final List<Expr> operands;

        Compare(Position at, Expr first, List<String> operators, List<Expr> operands) {
            super(at);
            this.first = first;
            this.operators = operators;
            this.operands = operands;
        }

        @Override
        Object evaluate(Context context) {
            Object left = first.eval(context);
            for (int i = 0; i < operators.size(); i++) {
                Object right = operands.get(i).eval(context);
                if (!holds(operators.get(i), left, right)) {
                    return false;
                }
                left = right;
            }
            return true;
        }

        static boolean holds(String operator, Object left, Object right) {
            return switch (operator) {
                case "==" -> Py.equal(left, right);
                case "!=" -> !Py.equal(left, right);
                case "in" -> Py.contains(right, left);
                case "not in" -> !Py.contains(right, left);
                case "<" -> Py.compare(left, right, operator) < 0;
                case "<=" -> Py.compare(left, right, operator) <= 0;
                case ">" -> Py.compare(left, right, operator) > 0;
                default -> Py.compare(left, right, operator) >= 0;
            };
        }
    }

    /** {@code a if condition else b}; without {@code else}, None when the condition fails. */
    static final class Conditional extends Expr {
        final Expr condition;
        final Expr then;
        final Expr otherwise;

        Conditional(Position at, Expr condition, Expr then, Expr otherwise) {
            super(at);
            this.condition = condition;
            this.then = then;
            this.otherwise = otherwise;
        }

        @Override
        Object evaluate(Context context) {
            if (Py.truthy(condition.eval(context))) {
                return then.eval(context);
            }
            // Jinja2 yields an undefined value here, which Ansible writes as nothing; None behaves the same way.
            return otherwise == null ? null : otherwise.eval(context);
        }
    }

    /** A call's arguments: positional ones, then {@code name=value}. */
    record Arguments(List<Expr> positional, Map<String, Expr> keywords) {
        static final Arguments NONE = new Arguments(List.of(), Map.of());

        List<Object> values(Context context) {
            List<Object> values = new ArrayList<>();
            positional.forEach(expr -> values.add(expr.eval(context)));
            return values;
        }

        Map<String, Object> keywordValues(Context context) {
            Map<String, Object> values = new LinkedHashMap<>();
            keywords.forEach((name, expr) -> values.put(name, expr.eval(context)));
            return values;
        }
    }

    static final class Call extends Expr {
        final Expr callee;
        final Arguments arguments;

        Call(Position at, Expr callee, Arguments arguments) {
            super(at);
            this.callee = callee;
            this.arguments = arguments;
        }

        @Override
        Object evaluate(Context context) {
            Macro function = function(context);
            List<Object> values = arguments.values(context);
            for (Object value : values) {
                Py.defined(value);
            }
            return function.call(values, arguments.keywordValues(context));
        }

        private Macro function(Context context) {
            if (callee instanceof Item item && item.dotted) {
                Object target = Py.defined(item.target.eval(context));
                String name = String.valueOf(((Literal) item.key).value);
                Object entry = Py.item(target, name);
                if (entry instanceof Macro macro) {
                    return macro;
                }
                Macro method = Methods.find(target, name);
                if (method == null) {
                    throw TemplateError.at(Kind.TYPE, Py.kind(target) + " has no method '" + name + "'"
                            + (Methods.of(target).isEmpty() ? "" : "; its methods: " + String.join(", ", Methods.of(target)))
                            + "; templates reach only these and the filters", at);
                }
                return method;
            }
            Object value = callee.eval(context);
            if (value instanceof Undefined undefined && callee instanceof Name name) {
                throw TemplateError.at(Kind.UNKNOWN_FUNCTION, name.name, at);
            }
            if (!(Py.defined(value) instanceof Macro macro)) {
                throw Py.typeError(Py.kind(value) + " cannot be called");
            }
            return macro;
        }
    }

    static final class FilterCall extends Expr {
        final Expr input;
        final String name;
        final Arguments arguments;

        FilterCall(Position at, Expr input, String name, Arguments arguments) {
            super(at);
            this.input = input;
            this.name = name;
            this.arguments = arguments;
        }

        @Override
        Object evaluate(Context context) {
            Limits.stopIfInterrupted();
            return Filters.apply(name, input.eval(context), arguments.values(context), arguments.keywordValues(context), context);
        }
    }

    static final class TestCall extends Expr {
        final Expr input;
        final String name;
        final Arguments arguments;
        final boolean negated;

        TestCall(Position at, Expr input, String name, Arguments arguments, boolean negated) {
            super(at);
            this.input = input;
            this.name = name;
            this.arguments = arguments;
            this.negated = negated;
        }

        @Override
        Object evaluate(Context context) {
            return negated != Tests.apply(name, input.eval(context), arguments.values(context), arguments.keywordValues(context));
        }
    }

    // ---- statements

    record Text(String text) implements Stmt {
        @Override
        public void render(Context context, StringBuilder out) {
            write(out, text);
        }
    }

    /** {@code {{ value }}}: None writes nothing, as Ansible finalizes it. */
    record Print(Expr value) implements Stmt {
        @Override
        public void render(Context context, StringBuilder out) {
            Object result = value.eval(context);
            try {
                write(out, result == null ? "" : Py.str(result));
            } catch (TemplateError e) {
                throw e.locatedAt(value.at);
            }
        }
    }

    record If(List<Expr> conditions, List<List<Stmt>> bodies, List<Stmt> otherwise) implements Stmt {
        @Override
        public void render(Context context, StringBuilder out) {
            for (int i = 0; i < conditions.size(); i++) {
                Expr condition = conditions.get(i);
                boolean holds;
                try {
                    holds = Py.truthy(condition.eval(context));
                } catch (TemplateError e) {
                    throw e.locatedAt(condition.at);
                }
                if (holds) {
                    renderAll(bodies.get(i), context, out);
                    return;
                }
            }
            renderAll(otherwise, context, out);
        }
    }

    /** Binds one or several names, as {@code for key, value in ...} and {@code set a, b = ...} do. */
    static void assign(Context context, List<String> targets, Object value, Position at) {
        if (targets.size() == 1) {
            context.set(targets.get(0), value);
            return;
        }
        List<?> values = Py.iterable(value);
        if (values.size() != targets.size()) {
            throw TemplateError.at(Kind.TYPE, "cannot unpack " + values.size() + " values into " + targets.size()
                    + " names (" + String.join(", ", targets) + ")", at);
        }
        for (int i = 0; i < targets.size(); i++) {
            context.set(targets.get(i), Py.normalize(values.get(i)));
        }
    }

    record For(Position at, List<String> targets, Expr iterable, Expr filter, List<Stmt> body, List<Stmt> otherwise)
            implements Stmt {
        @Override
        public void render(Context context, StringBuilder out) {
            List<?> all;
            try {
                all = Py.iterable(iterable.eval(context));
            } catch (TemplateError e) {
                throw e.locatedAt(iterable.at);
            }
            List<Object> items = new ArrayList<>();
            for (Object item : all) {
                item = Py.normalize(item);
                if (filter == null || passes(context, item)) {
                    items.add(item);
                }
            }
            for (int i = 0; i < items.size(); i++) {
                Limits.stopIfInterrupted();
                Context step = context.child();
                assign(step, targets, items.get(i), at);
                step.set("loop", loop(items, i));
                renderAll(body, step, out);
            }
            if (items.isEmpty()) {
                renderAll(otherwise, context, out);
            }
        }

        private boolean passes(Context context, Object item) {
            Context step = context.child();
            assign(step, targets, item, at);
            return Py.truthy(filter.eval(step));
        }

        private static Map<String, Object> loop(List<Object> items, int i) {
            return new Loop(items, i);
        }
    }

    /** {@code loop.index} and its siblings, computed when read: a loop may take a million steps. */
    private static final class Loop extends java.util.AbstractMap<String, Object> {
        private static final List<String> NAMES = List.of("index", "index0", "revindex", "revindex0", "first", "last",
                "length", "depth", "depth0", "previtem", "nextitem", "cycle");
        private final List<Object> items;
        private final int i;

        Loop(List<Object> items, int i) {
            this.items = items;
            this.i = i;
        }

        @Override
        public boolean containsKey(Object key) {
            return NAMES.contains(key) && !(key.equals("previtem") && i == 0)
                    && !(key.equals("nextitem") && i == items.size() - 1);
        }

        @Override
        public Object get(Object key) {
            int length = items.size();
            return switch (String.valueOf(key)) {
                case "index" -> (long) i + 1;
                case "index0" -> (long) i;
                case "revindex" -> (long) length - i;
                case "revindex0" -> (long) length - i - 1;
                case "first" -> i == 0;
                case "last" -> i == length - 1;
                case "length" -> (long) length;
                case "depth" -> 1L;
                case "depth0" -> 0L;
                case "previtem" -> i > 0 ? items.get(i - 1) : null;
                case "nextitem" -> i < length - 1 ? items.get(i + 1) : null;
                case "cycle" -> (Macro) (args, keywords) -> args.get(i % args.size());
                default -> null;
            };
        }

        @Override
        public java.util.Set<Entry<String, Object>> entrySet() {
            java.util.Set<Entry<String, Object>> entries = new java.util.LinkedHashSet<>();
            NAMES.stream().filter(this::containsKey).forEach(name -> entries.add(new SimpleEntry<>(name, get(name))));
            return entries;
        }
    }

    /** {@code set name = value}, {@code set a, b = pair} or {@code set ns.attribute = value}. */
    record Set(Position at, List<String> targets, String attribute, Expr value) implements Stmt {
        @Override
        public void render(Context context, StringBuilder out) {
            Object result = Py.defined(value.eval(context));
            if (attribute == null) {
                assign(context, targets, result, at);
                return;
            }
            if (!(context.lookup(targets.get(0), at) instanceof Context.Namespace namespace)) {
                throw TemplateError.at(Kind.TYPE, "only a namespace() can have an attribute set; write "
                        + "{% set ns = namespace(" + attribute + "=...) %} first", at);
            }
            namespace.put(attribute, result);
        }
    }

    /** {@code set name}...{@code endset}: the rendered body as a value. */
    record SetBlock(String target, List<Stmt> body) implements Stmt {
        @Override
        public void render(Context context, StringBuilder out) {
            StringBuilder value = new StringBuilder();
            renderAll(body, context, value);
            context.set(target, value.toString());
        }
    }

    /** {@code filter name}...{@code endfilter}. */
    record FilterBlock(Position at, String name, Arguments arguments, List<Stmt> body) implements Stmt {
        @Override
        public void render(Context context, StringBuilder out) {
            StringBuilder value = new StringBuilder();
            renderAll(body, context, value);
            try {
                write(out, Py.str(Filters.apply(name, value.toString(), arguments.values(context),
                        arguments.keywordValues(context), context)));
            } catch (TemplateError e) {
                throw e.locatedAt(at);
            }
        }
    }

    record With(List<String> names, List<Expr> values, List<Stmt> body) implements Stmt {
        @Override
        public void render(Context context, StringBuilder out) {
            Context inner = context.child();
            for (int i = 0; i < names.size(); i++) {
                inner.set(names.get(i), values.get(i).eval(context));
            }
            renderAll(body, inner, out);
        }
    }

    /**
     * {@code {% macro name(a, b='x') %}}. As in Jinja2, arguments beyond the parameters are refused unless the body
     * uses {@code varargs} (the extra positional ones, as a tuple) or {@code kwargs} (the extra keywords, a mapping).
     */
    record MacroDefinition(Position at, String name, List<String> parameters, List<Expr> defaults, boolean takesVarargs,
                           boolean takesKwargs, List<Stmt> body) implements Stmt {
        static final String VARARGS = "varargs";
        static final String KWARGS = "kwargs";

        @Override
        public void render(Context context, StringBuilder out) {
            context.set(name, (Macro) (args, keywords) -> call(context, args, keywords));
        }

        private Object call(Context definedIn, List<Object> args, Map<String, Object> keywords) {
            Limits.stopIfInterrupted();
            if (args.size() > parameters.size() && !takesVarargs) {
                throw TemplateError.at(Kind.TYPE, "macro '" + name + "' takes " + parameters.size() + " arguments, got "
                        + args.size() + " (a macro whose body uses varargs takes more)", null);
            }
            Context scope = definedIn.top();
            scope.set(name, definedIn.lookup(name, at));
            for (int i = 0; i < parameters.size(); i++) {
                String parameter = parameters.get(i);
                int firstDefault = parameters.size() - defaults.size();
                Object value = i < args.size() ? args.get(i) : keywords.containsKey(parameter) ? keywords.get(parameter)
                        : i >= firstDefault ? defaults.get(i - firstDefault).eval(definedIn)
                        : new Undefined(List.of(parameter), at);
                scope.set(parameter, value);
            }
            Map<String, Object> extraKeywords = new LinkedHashMap<>();
            for (Map.Entry<String, Object> keyword : keywords.entrySet()) {
                if (!parameters.contains(keyword.getKey())) {
                    if (!takesKwargs) {
                        throw TemplateError.at(Kind.TYPE, "macro '" + name + "' has no parameter '" + keyword.getKey()
                                + "' (a macro whose body uses kwargs takes any)", null);
                    }
                    extraKeywords.put(keyword.getKey(), keyword.getValue());
                }
            }
            if (takesVarargs) {
                scope.set(VARARGS, new Py.Tuple(args.size() > parameters.size()
                        ? new ArrayList<>(args.subList(parameters.size(), args.size())) : List.of()));
            }
            if (takesKwargs) {
                scope.set(KWARGS, extraKeywords);
            }
            StringBuilder out = new StringBuilder();
            renderAll(body, scope, out);
            return out.toString();
        }
    }

    record Include(Expr name) implements Stmt {
        @Override
        public void render(Context context, StringBuilder out) {
            Template included = context.environment().include(Py.str(name.eval(context)));
            write(out, included.renderIn(context));
        }
    }
}
