package dev.plumb.checks;

import dev.plumb.api.Diagnostic;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Regular expressions of checks: found anywhere in the text, {@code ^} and {@code $} at line ends. */
final class Patterns {

    private Patterns() {
    }

    /** Adds a problem, saying what is wrong and where in the expression, when {@code regex} does not compile. */
    static void validate(List<Diagnostic> problems, String attribute, String regex) {
        if (regex == null) {
            return;
        }
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            String where = e.getIndex() < 0 ? "" : e.getIndex() >= regex.length() ? " at its end"
                    : " at character " + (e.getIndex() + 1) + " ('" + regex.charAt(e.getIndex()) + "')";
            problems.add(Diagnostic.ofAttribute(attribute, "'" + regex + "' is not a valid regular expression: "
                    + e.getDescription().toLowerCase() + where));
        }
    }

    /** Whether {@code regex} matches somewhere in {@code text}. */
    static boolean findsIn(String regex, String text) {
        return Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find();
    }
}
