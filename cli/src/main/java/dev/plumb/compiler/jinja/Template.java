package dev.plumb.compiler.jinja;

import dev.plumb.compiler.jinja.TemplateError.Kind;
import dev.plumb.compiler.jinja.TemplateError.Position;
import java.util.List;
import java.util.Map;

/**
 * A parsed Jinja2 template, rendered as Ansible's {@code template} module renders it: {@code trim_blocks} on,
 * {@code lstrip_blocks} off unless a first line {@code #jinja2: trim_blocks: False, lstrip_blocks: True} says
 * otherwise, None written as nothing, newlines at the end kept as in the source.
 */
public final class Template {

    private static final String OVERRIDES = "#jinja2:";

    private final List<Nodes.Stmt> body;
    private final int trailingNewlines;

    private Template(List<Nodes.Stmt> body, int trailingNewlines) {
        this.body = body;
        this.trailingNewlines = trailingNewlines;
    }

    /** Parses {@code source}; {@code name} is the template file's name for messages, or null for a string. */
    public static Template parse(String source, String name) {
        String text = source.replace("\r\n", "\n").replace('\r', '\n');
        boolean trimBlocks = true;
        boolean lstripBlocks = false;
        int firstLine = 1;
        if (text.startsWith(OVERRIDES)) {
            int end = text.indexOf('\n');
            String line = text.substring(OVERRIDES.length(), end < 0 ? text.length() : end);
            for (String pair : line.split(",")) {
                String[] keyValue = pair.split(":", 2);
                String key = keyValue[0].strip();
                String value = keyValue.length > 1 ? keyValue[1].strip() : "";
                if (!value.equals("True") && !value.equals("False") || !key.equals("trim_blocks") && !key.equals("lstrip_blocks")) {
                    throw TemplateError.at(Kind.SYNTAX, "'" + pair.strip() + "' in the #jinja2: line: plumb takes "
                            + "trim_blocks and lstrip_blocks, each True or False", new Position(name, 1, 1));
                }
                if (key.equals("trim_blocks")) {
                    trimBlocks = value.equals("True");
                } else {
                    lstripBlocks = value.equals("True");
                }
            }
            text = end < 0 ? "" : text.substring(end + 1);
            firstLine = 2;
        }
        int trailing = trailingNewlines(text);
        // Jinja2 drops one newline at the end of the source; Ansible then adds back as many as the source had.
        String jinjaSource = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        List<Lexer.Token> tokens = Lexer.tokens(jinjaSource, name, trimBlocks, lstripBlocks);
        if (firstLine > 1) {
            tokens = tokens.stream().map(t -> new Lexer.Token(t.type(), t.value(),
                    new Position(t.at().template(), t.at().line() + 1, t.at().column()))).toList();
        }
        return new Template(Parser.template(tokens), trailing);
    }

    /** Parses a bare expression, as a {@code when:} condition is written. */
    public static Expression expression(String source) {
        List<Lexer.Token> tokens = Lexer.tokens("{{ " + source + " }}", null, true, false);
        List<Lexer.Token> shifted = tokens.stream().map(t -> new Lexer.Token(t.type(), t.value(),
                new Position(null, t.at().line(), Math.max(1, t.at().column() - 3)))).toList();
        return new Expression(Parser.expression(shifted));
    }

    private static int trailingNewlines(String text) {
        int count = 0;
        while (count < text.length() && text.charAt(text.length() - 1 - count) == '\n') {
            count++;
        }
        return count;
    }

    /** The text the template writes with these variables. */
    public String render(Environment environment, Map<String, Object> variables) {
        return renderIn(new Context(environment, variables));
    }

    String renderIn(Context context) {
        StringBuilder out = new StringBuilder();
        Nodes.renderAll(body, context.child(), out);
        int missing = trailingNewlines - trailingNewlines(out.toString());
        if (missing > 0) {
            Nodes.write(out, "\n".repeat(missing));
        }
        return out.toString();
    }

    /** A parsed expression. */
    public static final class Expression {
        private final Nodes.Expr expr;

        private Expression(Nodes.Expr expr) {
            this.expr = expr;
        }

        /** Whether the expression holds, by Python's truth rules; an undefined name fails. */
        public boolean test(Environment environment, Map<String, Object> variables) {
            return Py.truthy(value(environment, variables));
        }

        /** The expression's value: text, number, boolean, None (null), list or mapping. */
        public Object value(Environment environment, Map<String, Object> variables) {
            Object value = Py.defined(expr.eval(new Context(environment, variables)));
            return value;
        }
    }
}
