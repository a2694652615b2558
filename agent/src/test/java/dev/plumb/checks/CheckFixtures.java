package dev.plumb.checks;

import dev.plumb.Fixtures;
import dev.plumb.api.CheckContext;
import dev.plumb.api.CommandRunner;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.PreparedCheck;
import dev.plumb.api.Services;
import dev.plumb.catalog.CatalogCheck;
import dev.plumb.catalog.CheckResult;
import dev.plumb.providers.Providers;
import dev.plumb.system.ProcessCommandRunner;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds checks as the engine does from catalog entries, and runs them with the real system seams. */
final class CheckFixtures {

    private CheckFixtures() {
    }

    static CatalogCheck spec(String type, String target, Object... keysAndValues) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            attributes.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return new CatalogCheck(type, target, attributes);
    }

    /** A check ready to run; fails the test when the check is not valid. */
    static PreparedCheck check(String type, String target, Object... keysAndValues) {
        CatalogCheck spec = spec(type, target, keysAndValues);
        List<Diagnostic> problems = CheckTypes.problems(spec);
        if (!problems.isEmpty()) {
            throw new AssertionError("invalid check " + spec.display() + ": " + problems);
        }
        return CheckTypes.prepare(spec);
    }

    /** The problems of a check, each as {@code attribute: message}, or the message alone for the check as a whole. */
    static List<String> problems(String type, String target, Object... keysAndValues) {
        return CheckTypes.problems(spec(type, target, keysAndValues)).stream()
                .map(p -> p.attribute() == null ? p.summary() : p.attribute() + ": " + p.summary()).toList();
    }

    static CheckContext context(CommandRunner commands) {
        return new CheckContext(commands, Services.of(new Providers(commands, Fixtures.FACTS)), Clock.systemUTC());
    }

    static CheckContext context() {
        return context(new ProcessCommandRunner());
    }

    static CheckResult run(PreparedCheck check) {
        return run(context(), check);
    }

    static CheckResult run(CheckContext context, PreparedCheck check) {
        return new CheckRunner(context).run(List.of(check)).results().get(0);
    }
}
