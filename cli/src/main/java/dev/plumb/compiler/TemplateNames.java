package dev.plumb.compiler;

import dev.plumb.api.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a misspelt name in a template or {@code when:} expression probably meant, among the project's variables
 * and the names the template itself set.
 */
final class TemplateNames {

    private TemplateNames() {
    }

    /**
     * {@code undefined variable 'prot'; did you mean 'port'?}, among the project's variables and the template's
     * {@code localNames}. plumb's own names (facts, host) are left out: short as they are, they would be offered for
     * any short misspelt variable, as 'host' for 'port'.
     */
    static String undefinedName(String name, Map<String, Object> scope, List<String> localNames) {
        List<String> candidates = new ArrayList<>(localNames);
        scope.keySet().stream().filter(n -> !Scope.RESERVED.contains(n)).forEach(candidates::add);
        return "undefined variable '" + name + "'" + Suggestions.didYouMean(name, candidates) + loopHint(name);
    }

    /** Why {@code item} or {@code key} may be missing: they exist only in an entry with {@code for_each}. */
    private static String loopHint(String name) {
        return name.equals("item") || name.equals("key")
                ? " (" + name + " is set only in a resource or check with for_each)" : "";
    }
}
