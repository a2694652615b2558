package dev.plumb.compiler.jinja;

import dev.plumb.compiler.jinja.TemplateError.Kind;
import dev.plumb.compiler.jinja.TemplateError.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a template into text and the tokens of its tags, with Jinja2's whitespace control: {@code trim_blocks}
 * (the first newline after a block or comment tag is dropped), {@code lstrip_blocks} (spaces and tabs before a
 * block or comment tag at the start of a line are dropped), {@code -} on a tag's side strips all whitespace on
 * that side, {@code +} keeps it.
 */
final class Lexer {

    enum Type { TEXT, VARIABLE_BEGIN, VARIABLE_END, BLOCK_BEGIN, BLOCK_END, NAME, INTEGER, FLOAT, STRING, OPERATOR, END }

    record Token(Type type, String value, Position at) {
        boolean is(Type expected, String text) {
            return type == expected && value.equals(text);
        }

        boolean isOperator(String text) {
            return is(Type.OPERATOR, text);
        }

        boolean isName(String text) {
            return is(Type.NAME, text);
        }
    }

    private static final String[] OPERATORS = {"//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">",
            "=", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|"};

    private static final Pattern RAW = Pattern.compile("\\{%[-+]?\\s*raw\\s*([-+]?)%}");
    private static final Pattern END_RAW = Pattern.compile("(-?)\\{%([-+]?)\\s*endraw\\s*([-+]?)%}");
    private static final Pattern NUMBER = Pattern.compile("\\d[\\d_]*(\\.\\d[\\d_]*)?([eE][+-]?\\d+)?");

    private final String source;
    private final String templateName;
    private final boolean trimBlocks;
    private final boolean lstripBlocks;
    private final List<Token> tokens = new ArrayList<>();
    private int index;
    private int line = 1;
    private int lineStart;

    private Lexer(String source, String templateName, boolean trimBlocks, boolean lstripBlocks) {
        this.source = source;
        this.templateName = templateName;
        this.trimBlocks = trimBlocks;
        this.lstripBlocks = lstripBlocks;
    }

    static List<Token> tokens(String source, String templateName, boolean trimBlocks, boolean lstripBlocks) {
        Lexer lexer = new Lexer(source, templateName, trimBlocks, lstripBlocks);
        lexer.run();
        return lexer.tokens;
    }

    private Position position() {
        return new Position(templateName, line, index - lineStart + 1);
    }

    private void run() {
        boolean stripNext = false;
        boolean trimNext = false;
        while (index < source.length()) {
            int tag = nextTag(index);
            int textEnd = tag < 0 ? source.length() : tag;
            char kind = tag < 0 ? 0 : source.charAt(tag + 1);
            char modifier = tag >= 0 && tag + 2 < source.length() ? source.charAt(tag + 2) : 0;
            int textStart = index;
            if (stripNext) {
                while (textStart < textEnd && Character.isWhitespace(source.charAt(textStart))) {
                    textStart++;
                }
            } else if (trimNext && source.startsWith("\n", textStart)) {
                textStart++;
            } else if (trimNext && source.startsWith("\r\n", textStart)) {
                textStart += 2;
            }
            int keptEnd = textEnd;
            if (modifier == '-') {
                while (keptEnd > textStart && Character.isWhitespace(source.charAt(keptEnd - 1))) {
                    keptEnd--;
                }
            } else if (lstripBlocks && kind != '{' && modifier != '+') {
                int lineBegin = keptEnd;
                while (lineBegin > textStart && (source.charAt(lineBegin - 1) == ' ' || source.charAt(lineBegin - 1) == '\t')) {
                    lineBegin--;
                }
                if (lineBegin == 0 || source.charAt(lineBegin - 1) == '\n') {
                    keptEnd = lineBegin;
                }
            }
            if (keptEnd > textStart) {
                tokens.add(new Token(Type.TEXT, source.substring(textStart, keptEnd), position()));
            }
            advanceTo(textEnd);
            if (tag < 0) {
                break;
            }
            if (kind == '%' && rawBlock()) {
                stripNext = false;
                trimNext = false;
                continue;
            }
            Position start = position();
            advanceTo(index + (modifier == '-' || modifier == '+' ? 3 : 2));
            char close = kind == '{' ? '}' : kind;
            if (kind == '#') {
                int end = source.indexOf("#}", index);
                if (end < 0) {
                    throw TemplateError.at(Kind.SYNTAX, "this comment is not closed; end it with #}", start);
                }
                stripNext = end > index && source.charAt(end - 1) == '-';
                trimNext = trimBlocks && !(end > index && source.charAt(end - 1) == '+');
                advanceTo(end + 2);
                continue;
            }
            tokens.add(new Token(kind == '{' ? Type.VARIABLE_BEGIN : Type.BLOCK_BEGIN, "" + '{' + kind, start));
            char endModifier = expression(close, start);
            tokens.add(new Token(kind == '{' ? Type.VARIABLE_END : Type.BLOCK_END, close + "}", position()));
            advanceTo(index + 2);
            stripNext = endModifier == '-';
            trimNext = kind == '%' && trimBlocks && endModifier != '+';
        }
        tokens.add(new Token(Type.END, "", position()));
    }

    /** The index of the next {@code {{}, {@code {%} or {@code {#} from {@code from}, or -1. */
    private int nextTag(int from) {
        for (int i = source.indexOf('{', from); i >= 0 && i + 1 < source.length(); i = source.indexOf('{', i + 1)) {
            char next = source.charAt(i + 1);
            if (next == '{' || next == '%' || next == '#') {
                return i;
            }
        }
        return -1;
    }

    private void advanceTo(int target) {
        for (; index < target; index++) {
            if (source.charAt(index) == '\n') {
                line++;
                lineStart = index + 1;
            }
        }
    }

    /** {@code {% raw %}...{% endraw %}}: the text between, as it is. */
    private boolean rawBlock() {
        Matcher raw = RAW.matcher(source).region(index, source.length());
        if (!raw.lookingAt()) {
            return false;
        }
        Position start = position();
        Matcher end = END_RAW.matcher(source);
        if (!end.find(raw.end())) {
            throw TemplateError.at(Kind.SYNTAX, "{% raw %} is not closed; end it with {% endraw %}", start);
        }
        int textStart = raw.end();
        if (raw.group(1).equals("-")) {
            while (textStart < end.start() && Character.isWhitespace(source.charAt(textStart))) {
                textStart++;
            }
        }
        int textEnd = end.start();
        if (end.group(2).equals("-")) {
            while (textEnd > textStart && Character.isWhitespace(source.charAt(textEnd - 1))) {
                textEnd--;
            }
        }
        advanceTo(textStart);
        tokens.add(new Token(Type.TEXT, source.substring(textStart, textEnd), position()));
        advanceTo(end.end());
        if (end.group(3).equals("-")) {
            while (index < source.length() && Character.isWhitespace(source.charAt(index))) {
                advanceTo(index + 1);
            }
        } else if (trimBlocks && source.startsWith("\n", index)) {
            advanceTo(index + 1);
        }
        return true;
    }

    /** The tokens of one tag's expression up to its closing {@code }}} or {@code %}}; returns the closing modifier. */
    private char expression(char close, Position tagStart) {
        // Brackets still open: inside them, "}}" closes a mapping, not the tag, as in {{ {'a': {}} }}.
        int open = 0;
        while (true) {
            if (index >= source.length()) {
                throw TemplateError.at(Kind.SYNTAX, "this tag is not closed; end it with " + close + "}", tagStart);
            }
            char c = source.charAt(index);
            if (Character.isWhitespace(c)) {
                advanceTo(index + 1);
                continue;
            }
            if (open == 0 && (c == '-' || c == '+') && source.startsWith(close + "}", index + 1)) {
                advanceTo(index + 1);
                return c;
            }
            if (open == 0 && c == close && source.startsWith("}", index + 1)) {
                return 0;
            }
            Position at = position();
            if (Character.isLetter(c) || c == '_') {
                int end = index;
                while (end < source.length() && (Character.isLetterOrDigit(source.charAt(end)) || source.charAt(end) == '_')) {
                    end++;
                }
                tokens.add(new Token(Type.NAME, source.substring(index, end), at));
                advanceTo(end);
            } else if (Character.isDigit(c)) {
                number(at);
            } else if (c == '\'' || c == '"') {
                string(c, at);
            } else {
                String operator = null;
                for (String candidate : OPERATORS) {
                    if (source.startsWith(candidate, index)) {
                        operator = candidate;
                        break;
                    }
                }
                if (operator == null) {
                    throw TemplateError.at(Kind.SYNTAX, "unexpected character '" + c + "'", at);
                }
                tokens.add(new Token(Type.OPERATOR, operator, at));
                advanceTo(index + operator.length());
                open += "([{".contains(operator) ? 1 : ")]}".contains(operator) && open > 0 ? -1 : 0;
            }
        }
    }

    private void number(Position at) {
        Matcher matcher = NUMBER.matcher(source).region(index, source.length());
        matcher.lookingAt();
        String text = matcher.group();
        boolean isFloat = matcher.group(1) != null || matcher.group(2) != null;
        tokens.add(new Token(isFloat ? Type.FLOAT : Type.INTEGER, text.replace("_", ""), at));
        advanceTo(matcher.end());
    }

    /** A string literal with Python's escapes: {@code \n}, {@code \t}, {@code \\}, quotes, {@code \x41}, {@code \u00e9}. */
    private void string(char quote, Position at) {
        StringBuilder value = new StringBuilder();
        int i = index + 1;
        while (true) {
            if (i >= source.length()) {
                throw TemplateError.at(Kind.SYNTAX, "this string is not closed; end it with " + quote, at);
            }
            char c = source.charAt(i);
            if (c == quote) {
                break;
            }
            if (c == '\\' && i + 1 < source.length()) {
                char e = source.charAt(i + 1);
                i += 2;
                switch (e) {
                    case 'n' -> value.append('\n');
                    case 't' -> value.append('\t');
                    case 'r' -> value.append('\r');
                    case '0' -> value.append('\0');
                    case '\\', '\'', '"' -> value.append(e);
                    case '\n' -> { }
                    case 'x', 'u' -> {
                        int digits = e == 'x' ? 2 : 4;
                        value.append((char) Integer.parseInt(source.substring(i, Math.min(i + digits, source.length())), 16));
                        i += digits;
                    }
                    default -> value.append('\\').append(e);
                }
                continue;
            }
            value.append(c);
            i++;
        }
        tokens.add(new Token(Type.STRING, value.toString(), at));
        advanceTo(i + 1);
    }
}
