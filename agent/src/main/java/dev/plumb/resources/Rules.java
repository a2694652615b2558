package dev.plumb.resources;

import dev.plumb.engine.Resource.AttributeProblem;
import dev.plumb.engine.Suggestions;
import dev.plumb.system.FileAttributes;
import java.util.List;
import java.util.regex.Pattern;

/** The attribute rules several resource and check types share, each adding a problem that names the attribute. */
public final class Rules {

    /** The names useradd and groupadd accept everywhere; none can be taken for a command's option. */
    private static final Pattern ACCOUNT_NAME = Pattern.compile("[a-z_][a-z0-9_-]*[$]?");
    private static final int ACCOUNT_NAME_MAX = 32;

    private Rules() {
    }

    public static void oneOf(List<AttributeProblem> problems, String attribute, String value, String... allowed) {
        if (value != null && !List.of(allowed).contains(value)) {
            problems.add(new AttributeProblem(attribute, "'" + value + "' is not one of " + String.join(", ", allowed)
                    + Suggestions.didYouMean(value, List.of(allowed))));
        }
    }

    public static void absolutePath(List<AttributeProblem> problems, String attribute, String path) {
        if (path != null && !path.startsWith("/")) {
            problems.add(new AttributeProblem(attribute, "'" + path + "' is not an absolute path; write it from /"));
        }
    }

    public static void mode(List<AttributeProblem> problems, String mode) {
        if (mode != null && !FileAttributes.isValidMode(mode)) {
            problems.add(new AttributeProblem("mode", "'" + mode + "' is not a file mode; expected octal digits "
                    + "such as \"0644\" or \"0750\" (setuid, setgid and sticky bits are not supported)"));
        }
    }

    public static void required(List<AttributeProblem> problems, String attribute, Object value) {
        if (value == null) {
            problems.add(new AttributeProblem(attribute, "is required"));
        }
    }

    public static void accountName(List<AttributeProblem> problems, String attribute, String name) {
        if (name != null && (name.length() > ACCOUNT_NAME_MAX || !ACCOUNT_NAME.matcher(name).matches())) {
            problems.add(new AttributeProblem(attribute, "'" + name + "' is not a user or group name; expected at most "
                    + ACCOUNT_NAME_MAX + " lower-case letters, digits, _ and -, starting with a letter or _"));
        }
    }

    public static void notNegative(List<AttributeProblem> problems, String attribute, Integer value) {
        if (value != null && value < 0) {
            problems.add(new AttributeProblem(attribute, value + " is negative; ids start at 0"));
        }
    }
}
