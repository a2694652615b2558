package dev.plumb.checks;

import dev.plumb.api.Attribute;
import dev.plumb.api.Check;
import dev.plumb.api.CheckContext;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.ResourceException;
import dev.plumb.api.Verdict;
import dev.plumb.providers.Providers;
import dev.plumb.providers.ShadowProvider.Group;
import dev.plumb.resources.Rules;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code group: NAME} — whether a group exists, with the given id, as the provider the {@code group} resource
 * uses reads it (getent).
 */
public record GroupCheck(
        @Attribute(doc = "the group name") String group,
        @Attribute(doc = "whether it must exist (default) or must not", defaultValue = "true") Boolean exists,
        @Attribute(doc = "the group id it must have") Integer gid) implements Check {

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        Rules.accountName(problems, null, group);
        Rules.notNegative(problems, "gid", gid);
        return problems;
    }

    @Override
    public Verdict verify(CheckContext context, Duration timeout) throws IOException, ResourceException {
        Group current = context.service(Providers.class).accounts().group(group);
        Verdict verdict = new Verdict();
        boolean wanted = exists == null || exists;
        if ((current != null) != wanted) {
            return verdict.mismatch("exists", String.valueOf(wanted), String.valueOf(current != null));
        }
        if (current != null && gid != null && gid != current.gid()) {
            verdict.mismatch("gid", gid.toString(), Integer.toString(current.gid()));
        }
        return verdict;
    }
}
