package dev.plumb.resources;

import dev.plumb.engine.Resource.AttributeProblem;
import dev.plumb.engine.Suggestions;
import dev.plumb.system.FileAttributes;
import java.util.List;

/** The attribute rules several resource types share, each adding a problem that names the attribute. */
final class Rules {

    private Rules() {
    }

    static void oneOf(List<AttributeProblem> problems, String attribute, String value, String... allowed) {
        if (value != null && !List.of(allowed).contains(value)) {
            problems.add(new AttributeProblem(attribute, "'" + value + "' is not one of " + String.join(", ", allowed)
                    + Suggestions.didYouMean(value, List.of(allowed))));
        }
    }

    static void absolutePath(List<AttributeProblem> problems, String attribute, String path) {
        if (path != null && !path.startsWith("/")) {
            problems.add(new AttributeProblem(attribute, "'" + path + "' is not an absolute path; write it from /"));
        }
    }

    static void mode(List<AttributeProblem> problems, String mode) {
        if (mode != null && !FileAttributes.isValidMode(mode)) {
            problems.add(new AttributeProblem("mode", "'" + mode + "' is not a file mode; expected octal digits "
                    + "such as \"0644\" or \"0750\" (setuid, setgid and sticky bits are not supported)"));
        }
    }

    static void required(List<AttributeProblem> problems, String attribute, Object value) {
        if (value == null) {
            problems.add(new AttributeProblem(attribute, "is required"));
        }
    }
}
