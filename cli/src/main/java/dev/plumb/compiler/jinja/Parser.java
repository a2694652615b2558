package dev.plumb.compiler.jinja;

import dev.plumb.api.Suggestions;
import dev.plumb.compiler.jinja.Lexer.Token;
import dev.plumb.compiler.jinja.Lexer.Type;
import dev.plumb.compiler.jinja.Nodes.Arguments;
import dev.plumb.compiler.jinja.Nodes.Expr;
import dev.plumb.compiler.jinja.Nodes.Stmt;
import dev.plumb.compiler.jinja.TemplateError.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Jinja2's grammar, with its operator precedence: filters bind tighter than {@code ~}, {@code is} than {@code ==}. */
final class Parser {

    /** The tags a template may open or continue a block with, for messages. */
    private static final List<String> TAGS = List.of("if", "elif", "else", "for", "set", "macro", "include", "filter",
            "with", "block", "raw");
    private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", "<=", ">", ">=");
    /**
     * How deep blocks, parentheses, brackets and operators such as {@code not} may nest, together: far deeper than
     * any template needs, and far from the depth at which parsing, which recurses, would run out of stack.
     */
    static final int MAX_NESTING = 100;

    private final List<Token> tokens;
    private int next;
    /** How deep the parser is in blocks and nested expressions. */
    private int depth;
    /** The names read as values so far, in the macro being read: whether it uses {@code varargs} or {@code kwargs}. */
    private Set<String> namesRead = new java.util.HashSet<>();

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static List<Stmt> template(List<Token> tokens) {
        Parser parser = new Parser(tokens);
        List<Stmt> body = parser.body(Set.of());
        if (parser.peek().type() != Type.END) {
            throw parser.unexpected(parser.peek(), "a tag that opens a block");
        }
        return body;
    }

    /** A single expression, as in a {@code when:}. */
    static Expr expression(List<Token> tokens) {
        Parser parser = new Parser(tokens);
        parser.expect(Type.VARIABLE_BEGIN, null);
        Expr expr = parser.expression();
        parser.expect(Type.VARIABLE_END, "the end of the expression");
        return expr;
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token peekAfter() {
        return tokens.get(Math.min(next + 1, tokens.size() - 1));
    }

    private Token advance() {
        return tokens.get(next++);
    }

    private boolean skipOperator(String operator) {
        if (peek().isOperator(operator)) {
            next++;
            return true;
        }
        return false;
    }

    private boolean skipName(String name) {
        if (peek().isName(name)) {
            next++;
            return true;
        }
        return false;
    }

    private Token expect(Type type, String what) {
        Token token = peek();
        if (token.type() != type) {
            throw unexpected(token, what == null ? type.name().toLowerCase() : what);
        }
        return advance();
    }

    private void expectOperator(String operator) {
        if (!skipOperator(operator)) {
            throw unexpected(peek(), "'" + operator + "'");
        }
    }

    private void expectName(String name) {
        if (!skipName(name)) {
            throw unexpected(peek(), "'" + name + "'");
        }
    }

    private String name() {
        return expect(Type.NAME, "a name").value();
    }

    TemplateError unexpected(Token token, String expected) {
        String found = switch (token.type()) {
            case END -> "end of the template";
            case VARIABLE_END, BLOCK_END -> "end of the tag";
            case STRING -> "the string '" + token.value() + "'";
            default -> "'" + token.value() + "'";
        };
        String hint = token.isOperator("=") ? " (to compare, write ==)" : "";
        return TemplateError.at(Kind.SYNTAX, "unexpected " + found + hint + "; expected " + expected, token.at());
    }

    /** One level deeper, at {@code token}; each call is matched by a {@code depth--} once the level is read. */
    private void enter(Token token) {
        if (++depth > MAX_NESTING) {
            throw TemplateError.at(Kind.LIMIT, "blocks, parentheses, brackets and operators such as 'not' are nested "
                    + "more than " + MAX_NESTING + " levels deep here, the most plumb reads; compute part of it "
                    + "beforehand with {% set %} or a variable", token.at());
        }
    }

    // ---- statements

    /** Statements up to a block tag named in {@code ends} (left unread) or the end. */
    private List<Stmt> body(Set<String> ends) {
        enter(peek());
        List<Stmt> body = new ArrayList<>();
        while (true) {
            Token token = peek();
            switch (token.type()) {
                case END:
                    if (!ends.isEmpty()) {
                        throw TemplateError.at(Kind.SYNTAX, "unexpected end of template; expected {% "
                                + String.join(" %} or {% ", new java.util.TreeSet<>(ends)) + " %}", token.at());
                    }
                    depth--;
                    return body;
                case TEXT:
                    body.add(new Nodes.Text(advance().value()));
                    break;
                case VARIABLE_BEGIN:
                    advance();
                    body.add(new Nodes.Print(expression()));
                    expect(Type.VARIABLE_END, "the end of the expression, }}");
                    break;
                default:
                    advance();
                    if (ends.contains(peek().value()) && peek().type() == Type.NAME) {
                        next--;
                        depth--;
                        return body;
                    }
                    body.add(statement());
            }
        }
    }

    /** After {@code {%} at the block's name; reads through the block's {@code %}}. */
    private void endTag(String name) {
        expect(Type.BLOCK_BEGIN, "{% " + name + " %}");
        expectName(name);
        expect(Type.BLOCK_END, "%}");
    }

    private Stmt statement() {
        Token keyword = expect(Type.NAME, "a statement such as if, for, set or macro");
        switch (keyword.value()) {
            case "if":
                return ifStatement();
            case "for":
                return forStatement(keyword);
            case "set":
                return setStatement(keyword);
            case "macro":
                return macro(keyword);
            case "include": {
                Expr name = expression();
                if (skipName("with")) {
                    expectName("context");
                }
                expect(Type.BLOCK_END, "%}");
                return new Nodes.Include(name);
            }
            case "filter": {
                String name = name();
                Arguments arguments = peek().isOperator("(") ? arguments() : Arguments.NONE;
                expect(Type.BLOCK_END, "%}");
                List<Stmt> body = body(Set.of("endfilter"));
                endTag("endfilter");
                return new Nodes.FilterBlock(keyword.at(), name, arguments, body);
            }
            case "block": {
                // Without extends, which plumb does not take, a block renders where it stands, as in Jinja2.
                name();
                expect(Type.BLOCK_END, "%}");
                List<Stmt> body = body(Set.of("endblock"));
                expect(Type.BLOCK_BEGIN, null);
                expectName("endblock");
                if (peek().type() == Type.NAME) {
                    advance();
                }
                expect(Type.BLOCK_END, "%}");
                return new Nodes.With(List.of(), List.of(), body);
            }
            case "with": {
                List<String> names = new ArrayList<>();
                List<Expr> values = new ArrayList<>();
                while (peek().type() != Type.BLOCK_END) {
                    if (!names.isEmpty()) {
                        expectOperator(",");
                    }
                    names.add(name());
                    expectOperator("=");
                    values.add(expression());
                }
                advance();
                List<Stmt> body = body(Set.of("endwith"));
                endTag("endwith");
                return new Nodes.With(names, values, body);
            }
            default:
                throw TemplateError.at(Kind.SYNTAX, "unknown tag '" + keyword.value() + "'"
                        + Suggestions.didYouMean(keyword.value(), TAGS) + "; plumb's templates know "
                        + String.join(", ", TAGS), keyword.at());
        }
    }

    private Stmt ifStatement() {
        List<Expr> conditions = new ArrayList<>();
        List<List<Stmt>> bodies = new ArrayList<>();
        conditions.add(expression());
        expect(Type.BLOCK_END, "%}");
        while (true) {
            bodies.add(body(Set.of("elif", "else", "endif")));
            expect(Type.BLOCK_BEGIN, null);
            String tag = name();
            if (tag.equals("elif")) {
                conditions.add(expression());
                expect(Type.BLOCK_END, "%}");
                continue;
            }
            List<Stmt> otherwise = List.of();
            if (tag.equals("else")) {
                expect(Type.BLOCK_END, "%}");
                otherwise = body(Set.of("endif"));
                endTag("endif");
            } else {
                expect(Type.BLOCK_END, "%}");
            }
            return new Nodes.If(conditions, bodies, otherwise);
        }
    }

    private Stmt forStatement(Token keyword) {
        List<String> targets = names();
        expectName("in");
        Expr iterable = condition();
        Expr filter = skipName("if") ? expression() : null;
        expect(Type.BLOCK_END, "%}");
        List<Stmt> body = body(Set.of("else", "endfor"));
        List<Stmt> otherwise = List.of();
        expect(Type.BLOCK_BEGIN, null);
        if (skipName("else")) {
            expect(Type.BLOCK_END, "%}");
            otherwise = body(Set.of("endfor"));
            endTag("endfor");
        } else {
            expectName("endfor");
            expect(Type.BLOCK_END, "%}");
        }
        return new Nodes.For(keyword.at(), targets, iterable, filter, body, otherwise);
    }

    private List<String> names() {
        List<String> names = new ArrayList<>();
        boolean parenthesized = skipOperator("(");
        do {
            names.add(name());
        } while (skipOperator(","));
        if (parenthesized) {
            expectOperator(")");
        }
        return names;
    }

    private Stmt setStatement(Token keyword) {
        List<String> targets = names();
        String attribute = null;
        if (targets.size() == 1 && skipOperator(".")) {
            attribute = name();
        }
        if (targets.size() == 1 && attribute == null && peek().type() == Type.BLOCK_END) {
            advance();
            List<Stmt> body = body(Set.of("endset"));
            endTag("endset");
            return new Nodes.SetBlock(targets.get(0), body);
        }
        expectOperator("=");
        Expr value = tupleOrExpression();
        expect(Type.BLOCK_END, "%}");
        return new Nodes.Set(keyword.at(), targets, attribute, value);
    }

    private Stmt macro(Token keyword) {
        String name = name();
        List<String> parameters = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        expectOperator("(");
        while (!skipOperator(")")) {
            if (!parameters.isEmpty()) {
                expectOperator(",");
            }
            parameters.add(name());
            if (skipOperator("=")) {
                defaults.add(expression());
            } else if (!defaults.isEmpty()) {
                throw unexpected(peek(), "a default value: parameters after one with a default need one too");
            }
        }
        expect(Type.BLOCK_END, "%}");
        Set<String> outside = namesRead;
        namesRead = new java.util.HashSet<>();
        List<Stmt> body = body(Set.of("endmacro"));
        endTag("endmacro");
        // As in Jinja2, a macro whose body uses varargs or kwargs takes the arguments its parameters do not.
        boolean takesVarargs = namesRead.contains(Nodes.MacroDefinition.VARARGS) && !parameters.contains(Nodes.MacroDefinition.VARARGS);
        boolean takesKwargs = namesRead.contains(Nodes.MacroDefinition.KWARGS) && !parameters.contains(Nodes.MacroDefinition.KWARGS);
        outside.addAll(namesRead);
        namesRead = outside;
        return new Nodes.MacroDefinition(keyword.at(), name, parameters, defaults, takesVarargs, takesKwargs, body);
    }

    // ---- expressions

    private Expr tupleOrExpression() {
        Token start = peek();
        Expr first = expression();
        if (!peek().isOperator(",")) {
            return first;
        }
        List<Expr> elements = new ArrayList<>(List.of(first));
        while (skipOperator(",")) {
            elements.add(expression());
        }
        return new Nodes.ListExpr(start.at(), elements, true);
    }

    Expr expression() {
        enter(peek());
        Expr value = condition();
        while (peek().isName("if")) {
            Token token = advance();
            Expr test = condition();
            Expr otherwise = skipName("else") ? expression() : null;
            value = new Nodes.Conditional(token.at(), test, value, otherwise);
        }
        depth--;
        return value;
    }

    /** An expression without an inline if: what a for loop's list and an inline if's test are. */
    private Expr condition() {
        return or();
    }

    private Expr or() {
        Expr left = and();
        while (peek().isName("or")) {
            Token token = advance();
            left = new Nodes.Binary(token.at(), "or", left, and());
        }
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (peek().isName("and")) {
            Token token = advance();
            left = new Nodes.Binary(token.at(), "and", left, not());
        }
        return left;
    }

    private Expr not() {
        if (peek().isName("not")) {
            Token token = advance();
            enter(token);
            Expr operand = not();
            depth--;
            return new Nodes.Unary(token.at(), "not", operand);
        }
        return compare();
    }

    private Expr compare() {
        Token start = peek();
        Expr first = sum();
        List<String> operators = new ArrayList<>();
        List<Expr> operands = new ArrayList<>();
        while (true) {
            Token token = peek();
            if (token.type() == Type.OPERATOR && COMPARISONS.contains(token.value())) {
                operators.add(advance().value());
            } else if (token.isName("in")) {
                advance();
                operators.add("in");
            } else if (token.isName("not") && peekAfter().isName("in")) {
                next += 2;
                operators.add("not in");
            } else {
                break;
            }
            operands.add(sum());
        }
        return operators.isEmpty() ? first : new Nodes.Compare(start.at(), first, operators, operands);
    }

    private Expr sum() {
        Expr left = concatenation();
        while (peek().isOperator("+") || peek().isOperator("-")) {
            Token token = advance();
            left = new Nodes.Binary(token.at(), token.value(), left, concatenation());
        }
        return left;
    }

    private Expr concatenation() {
        Expr left = product();
        while (peek().isOperator("~")) {
            Token token = advance();
            left = new Nodes.Binary(token.at(), "~", left, product());
        }
        return left;
    }

    private Expr product() {
        Expr left = power();
        while (peek().type() == Type.OPERATOR && Set.of("*", "/", "//", "%").contains(peek().value())) {
            Token token = advance();
            left = new Nodes.Binary(token.at(), token.value(), left, power());
        }
        return left;
    }

    private Expr power() {
        Expr left = unary(true);
        while (peek().isOperator("**")) {
            Token token = advance();
            left = new Nodes.Binary(token.at(), "**", left, unary(true));
        }
        return left;
    }

    private Expr unary(boolean withFilters) {
        Token token = peek();
        Expr value;
        if (token.isOperator("-") || token.isOperator("+")) {
            advance();
            enter(token);
            value = new Nodes.Unary(token.at(), token.value(), unary(false));
            depth--;
        } else {
            value = primary();
        }
        value = postfix(value);
        return withFilters ? filtersAndTests(value) : value;
    }

    private Expr primary() {
        Token token = advance();
        switch (token.type()) {
            case NAME:
                return switch (token.value()) {
                    case "true", "True" -> new Nodes.Literal(token.at(), true);
                    case "false", "False" -> new Nodes.Literal(token.at(), false);
                    case "none", "None" -> new Nodes.Literal(token.at(), null);
                    default -> {
                        namesRead.add(token.value());
                        yield new Nodes.Name(token.at(), token.value());
                    }
                };
            case STRING: {
                StringBuilder text = new StringBuilder(token.value());
                while (peek().type() == Type.STRING) {
                    text.append(advance().value());
                }
                return new Nodes.Literal(token.at(), text.toString());
            }
            case INTEGER:
                try {
                    return new Nodes.Literal(token.at(), Long.parseLong(token.value()));
                } catch (NumberFormatException e) {
                    throw TemplateError.at(Kind.SYNTAX, "the number " + token.value() + " is too large; whole numbers "
                            + "go up to " + Long.MAX_VALUE + ", and a longer one can be written as a string: '"
                            + token.value() + "'", token.at());
                }
            case FLOAT:
                return new Nodes.Literal(token.at(), Double.parseDouble(token.value()));
            default:
                break;
        }
        if (token.isOperator("(")) {
            if (skipOperator(")")) {
                return new Nodes.ListExpr(token.at(), List.of(), true);
            }
            Expr first = expression();
            if (skipOperator(")")) {
                return first;
            }
            List<Expr> elements = new ArrayList<>(List.of(first));
            while (skipOperator(",") && !peek().isOperator(")")) {
                elements.add(expression());
            }
            expectOperator(")");
            return new Nodes.ListExpr(token.at(), elements, true);
        }
        if (token.isOperator("[")) {
            List<Expr> elements = new ArrayList<>();
            while (!skipOperator("]")) {
                if (!elements.isEmpty()) {
                    expectOperator(",");
                    if (skipOperator("]")) {
                        break;
                    }
                }
                elements.add(expression());
            }
            return new Nodes.ListExpr(token.at(), elements, false);
        }
        if (token.isOperator("{")) {
            List<Expr> keys = new ArrayList<>();
            List<Expr> values = new ArrayList<>();
            while (!skipOperator("}")) {
                if (!keys.isEmpty()) {
                    expectOperator(",");
                    if (skipOperator("}")) {
                        break;
                    }
                }
                keys.add(expression());
                expectOperator(":");
                values.add(expression());
            }
            return new Nodes.DictExpr(token.at(), keys, values);
        }
        next--;
        throw unexpected(token, "a value: a name, a number, a string, a list or a mapping");
    }

    private Expr postfix(Expr value) {
        while (true) {
            Token token = peek();
            if (token.isOperator(".")) {
                advance();
                Token attribute = advance();
                if (attribute.type() != Type.NAME && attribute.type() != Type.INTEGER) {
                    next--;
                    throw unexpected(attribute, "an attribute name after '.'");
                }
                Object key = attribute.type() == Type.INTEGER ? (Object) Long.parseLong(attribute.value()) : attribute.value();
                value = new Nodes.Item(attribute.at(), value, new Nodes.Literal(attribute.at(), key), true);
            } else if (token.isOperator("[")) {
                advance();
                value = subscript(token, value);
            } else if (token.isOperator("(")) {
                value = new Nodes.Call(token.at(), value, arguments());
            } else {
                return value;
            }
        }
    }

    private Expr subscript(Token open, Expr target) {
        Expr[] parts = new Expr[3];
        int part = 0;
        boolean slice = false;
        while (!skipOperator("]")) {
            if (skipOperator(":")) {
                slice = true;
                part++;
                if (part > 2) {
                    throw unexpected(peek(), "']'");
                }
            } else {
                parts[part] = expression();
            }
        }
        return slice ? new Nodes.Slice(open.at(), target, parts[0], parts[1], parts[2])
                : new Nodes.Item(open.at(), target, parts[0], false);
    }

    private Arguments arguments() {
        expectOperator("(");
        List<Expr> positional = new ArrayList<>();
        Map<String, Expr> keywords = new LinkedHashMap<>();
        while (!skipOperator(")")) {
            if (!positional.isEmpty() || !keywords.isEmpty()) {
                expectOperator(",");
                if (skipOperator(")")) {
                    break;
                }
            }
            if (peek().type() == Type.NAME && peekAfter().isOperator("=")) {
                String name = advance().value();
                advance();
                keywords.put(name, expression());
            } else {
                positional.add(expression());
            }
        }
        return new Arguments(positional, keywords);
    }

    private String dottedName() {
        StringBuilder name = new StringBuilder(name());
        while (peek().isOperator(".") && peekAfter().type() == Type.NAME) {
            advance();
            name.append('.').append(advance().value());
        }
        return name.toString();
    }

    private Expr filtersAndTests(Expr value) {
        while (true) {
            Token token = peek();
            if (token.isOperator("|")) {
                advance();
                Token nameToken = peek();
                String name = dottedName();
                Arguments arguments = peek().isOperator("(") ? arguments() : Arguments.NONE;
                value = postfix(new Nodes.FilterCall(nameToken.at(), value, name, arguments));
            } else if (token.isName("is")) {
                advance();
                boolean negated = skipName("not");
                Token nameToken = peek();
                String name = dottedName();
                Arguments arguments = Arguments.NONE;
                Token argument = peek();
                if (argument.isOperator("(")) {
                    arguments = arguments();
                } else if ((Set.of(Type.NAME, Type.STRING, Type.INTEGER, Type.FLOAT).contains(argument.type())
                        || argument.isOperator("[") || argument.isOperator("{"))
                        && !Set.of("else", "or", "and", "if", "is", "in", "not").contains(argument.value())) {
                    arguments = new Arguments(List.of(postfix(primary())), Map.of());
                }
                value = new Nodes.TestCall(nameToken.at(), value, name, arguments, negated);
            } else {
                return value;
            }
        }
    }
}
