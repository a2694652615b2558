package dev.plumb.resources;

import dev.plumb.api.Diagnostic;
import dev.plumb.api.Suggestions;
import dev.plumb.system.FileAttributes;
import dev.plumb.system.SafePaths;
import java.util.List;
import java.util.regex.Pattern;

/** The attribute rules several resource and check types share, each adding a problem that names the attribute. */
public final class Rules {

    /** The names useradd and groupadd accept everywhere; none can be taken for a command's option. */
    private static final Pattern ACCOUNT_NAME = Pattern.compile("[a-z_][a-z0-9_-]*[$]?");
    private static final int ACCOUNT_NAME_MAX = 32;

    private Rules() {
    }

    public static void oneOf(List<Diagnostic> problems, String attribute, String value, String... allowed) {
        if (value != null && !List.of(allowed).contains(value)) {
            problems.add(Diagnostic.ofAttribute(attribute, "'" + value + "' is not one of " + String.join(", ", allowed)
                    + Suggestions.didYouMean(value, List.of(allowed))));
        }
    }

    /**
     * A path in its one normal spelling: absolute, without {@code .} or {@code ..} components, {@code //}, a trailing
     * slash or control characters. The problem suggests the normal form, so two spellings of one path never both pass.
     */
    public static void normalPath(List<Diagnostic> problems, String attribute, String path) {
        String problem = path == null ? null : SafePaths.problem(path);
        if (problem != null) {
            problems.add(Diagnostic.ofAttribute(attribute, problem));
        }
    }

    /** A value written into the filesystem as given, such as a symlink's target: no control characters. */
    public static void noControlCharacters(List<Diagnostic> problems, String attribute, String value) {
        String problem = value == null ? null : SafePaths.controlCharacterProblem(value);
        if (problem != null) {
            problems.add(Diagnostic.ofAttribute(attribute, problem));
        }
    }

    public static void mode(List<Diagnostic> problems, String mode) {
        if (mode != null && !FileAttributes.isValidMode(mode)) {
            problems.add(Diagnostic.ofAttribute("mode", "'" + mode + "' is not a file mode; expected octal digits "
                    + "such as \"0644\" or \"0750\" (setuid, setgid and sticky bits are not supported)"));
        }
    }

    public static void required(List<Diagnostic> problems, String attribute, Object value) {
        if (value == null) {
            problems.add(Diagnostic.ofAttribute(attribute, "is required"));
        }
    }

    public static void accountName(List<Diagnostic> problems, String attribute, String name) {
        if (name != null && (name.length() > ACCOUNT_NAME_MAX || !ACCOUNT_NAME.matcher(name).matches())) {
            problems.add(Diagnostic.ofAttribute(attribute, "'" + name + "' is not a user or group name; expected at most "
                    + ACCOUNT_NAME_MAX + " lower-case letters, digits, _ and -, starting with a letter or _"));
        }
    }

    public static void notNegative(List<Diagnostic> problems, String attribute, Integer value) {
        if (value != null && value < 0) {
            problems.add(Diagnostic.ofAttribute(attribute, value + " is negative; ids start at 0"));
        }
    }
}
