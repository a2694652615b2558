package dev.plumb.compiler;

import dev.plumb.api.Suggestions;
import io.pebbletemplates.pebble.extension.core.CoreExtension;
import io.pebbletemplates.pebble.extension.escaper.EscaperExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names a template or {@code when:} expression can use, to say which one is misspelt and what was
 * probably meant: variables and facts ({@code facts.os.idd}: did you mean {@code facts.os.id}?), filters and
 * functions.
 */
final class TemplateNames {

    /** Every filter a template can use, for messages and the README. */
    static final Set<String> FILTERS = filters();
    static final Set<String> FUNCTIONS = new TreeSet<>(new CoreExtension().getFunctions().keySet());

    private static final Pattern TEMPLATE_CODE = Pattern.compile("\\{\\{(.*?)}}|\\{%(.*?)%}", Pattern.DOTALL);
    private static final Pattern STRING_LITERAL = Pattern.compile("'[^']*'|\"[^\"]*\"");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("(?<![\\w.])\\d+(?![\\w.])");
    private static final Pattern DOTTED_NAME = Pattern.compile("[A-Za-z_]\\w*(?:\\.[A-Za-z_]\\w*)*");
    /** {@code x is defined} and {@code x | default('y')} are how a template asks about a missing name. */
    private static final Pattern TESTED_OR_DEFAULTED = Pattern.compile("\\s*(is\\s+(not\\s+)?defined|\\|\\s*default\\b)");
    /** Words of the expression language itself, and the tests that follow {@code is}. */
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "is", "in", "true", "false", "null",
            "none", "defined", "empty", "even", "odd", "iterable", "map", "equalto", "contains", "if", "else",
            "for", "endfor", "endif", "set", "elseif", "with", "only", "as", "import", "from", "macro", "endmacro",
            "include", "block", "endblock", "extends", "filter", "endfilter", "verbatim", "endverbatim", "autoescape",
            "endautoescape", "parallel", "endparallel", "flush", "cache", "endcache", "embed", "endembed", "instanceof");

    /** A whole number as a template writes it, and the line it is on. */
    record Literal(String text, int line) {
    }

    /** A name that is not defined, and the message that says so. */
    record Undefined(String name, String message) {
    }

    private TemplateNames() {
    }

    private static Set<String> filters() {
        Set<String> names = new TreeSet<>(new CoreExtension().getFilters().keySet());
        names.addAll(new EscaperExtension().getFilters().keySet());
        return names;
    }

    /**
     * The dotted names in an expression that the scope does not define, each with what was probably meant, as
     * {@code undefined variable 'facts.os.idd'; did you mean 'facts.os.id'?}. Names after {@code |} are
     * filters and names before {@code (} are functions or methods; neither is a variable.
     */
    static List<Undefined> undefinedNames(String expression, Map<String, Object> scope) {
        String code = STRING_LITERAL.matcher(expression).replaceAll(m -> " ".repeat(m.group().length()));
        Matcher matcher = DOTTED_NAME.matcher(code);
        List<Undefined> undefinedNames = new ArrayList<>();
        while (matcher.find()) {
            char before = preceding(code, matcher.start());
            if (KEYWORDS.contains(matcher.group()) || before == '|' || before == '.' || Character.isDigit(before)
                    || TESTED_OR_DEFAULTED.matcher(code).region(matcher.end(), code.length()).lookingAt()) {
                continue;
            }
            List<String> parts = new ArrayList<>(List.of(matcher.group().split("\\.")));
            if (code.substring(matcher.end()).stripLeading().startsWith("(")) {
                parts.remove(parts.size() - 1);
            }
            undefined(parts, scope).ifPresent(undefinedNames::add);
        }
        return undefinedNames;
    }

    /** The names used in a template's {@code {{ }}} and {@code {% %}}, as one expression to look through. */
    static String code(String template) {
        Matcher matcher = TEMPLATE_CODE.matcher(template);
        StringBuilder code = new StringBuilder();
        while (matcher.find()) {
            code.append(matcher.group(1) != null ? matcher.group(1) : matcher.group(2)).append(' ');
        }
        return code.toString();
    }

    /**
     * The first whole number in a template's code that is too large for a long, as Pebble reads numbers;
     * numbers in strings and in the text around the code do not count.
     */
    static Optional<Literal> tooLargeNumber(String template) {
        Matcher code = TEMPLATE_CODE.matcher(template);
        while (code.find()) {
            int group = code.group(1) != null ? 1 : 2;
            String expression = STRING_LITERAL.matcher(code.group(group)).replaceAll(m -> " ".repeat(m.group().length()));
            Matcher number = WHOLE_NUMBER.matcher(expression);
            while (number.find()) {
                if (!fitsALong(number.group())) {
                    int offset = code.start(group) + number.start();
                    return Optional.of(new Literal(number.group(), 1 + (int) template.substring(0, offset).chars().filter(c -> c == '\n').count()));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean fitsALong(String digits) {
        try {
            Long.parseLong(digits);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Optional<Undefined> undefined(List<String> parts, Map<String, Object> scope) {
        Object value = scope;
        for (int i = 0; i < parts.size(); i++) {
            if (!(value instanceof Map<?, ?> map)) {
                return Optional.empty();
            }
            if (!map.containsKey(parts.get(i))) {
                String name = String.join(".", parts.subList(0, i + 1));
                String suggestion = i == 0 ? didYouMeanVariable(parts.get(0), scope)
                        : Suggestions.didYouMean(parts.get(i), map.keySet().stream().map(String::valueOf).toList());
                if (i > 0) {
                    suggestion = suggestion.replace("mean '", "mean '" + String.join(".", parts.subList(0, i)) + ".");
                }
                return Optional.of(new Undefined(name, "undefined variable '" + name + "'" + suggestion + loopHint(name)));
            }
            value = map.get(parts.get(i));
        }
        return Optional.empty();
    }

    /**
     * "; did you mean 'port'?" among the project's variables. plumb's own names (facts, host) are left out:
     * short as they are, they would be offered for any short misspelt variable, as 'host' for 'port'.
     */
    static String didYouMeanVariable(String name, Map<String, Object> scope) {
        return Suggestions.didYouMean(name, scope.keySet().stream().filter(n -> !Scope.RESERVED.contains(n)).toList());
    }

    /** Why {@code item} or {@code key} may be missing: they exist only in an entry with {@code for_each}. */
    static String loopHint(String name) {
        return name.equals("item") || name.equals("key")
                ? " (" + name + " is set only in a resource or check with for_each)" : "";
    }

    private static char preceding(String code, int index) {
        for (int i = index - 1; i >= 0; i--) {
            if (!Character.isWhitespace(code.charAt(i))) {
                return code.charAt(i);
            }
        }
        return ' ';
    }
}
