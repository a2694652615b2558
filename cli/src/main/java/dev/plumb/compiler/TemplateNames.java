package dev.plumb.compiler;

import dev.plumb.api.Suggestions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a misspelt name in a template or {@code when:} expression probably meant: variables and facts
 * ({@code facts.os.idd}: did you mean {@code facts.os.id}?).
 */
final class TemplateNames {

    /** A name that is not defined, and the message that says so. */
    record Undefined(String name, String message) {
    }

    private TemplateNames() {
    }

    /**
     * The first part of a dotted name that the scope does not define, with what was probably meant, as
     * {@code undefined variable 'facts.os.idd'; did you mean 'facts.os.id'?}; empty when the scope defines the
     * path up to a value that is not a mapping.
     */
    static Optional<Undefined> undefined(List<String> parts, Map<String, Object> scope) {
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
}
