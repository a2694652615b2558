package dev.plumb.checks;

import dev.plumb.api.Attribute;
import dev.plumb.api.Check;
import dev.plumb.api.CheckContext;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.ResourceException;
import dev.plumb.api.Verdict;
import dev.plumb.providers.Providers;
import dev.plumb.providers.ShadowProvider;
import dev.plumb.providers.ShadowProvider.Group;
import dev.plumb.providers.ShadowProvider.Passwd;
import dev.plumb.resources.Rules;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code user: NAME} — whether an account exists with the given attributes, as the provider the {@code user}
 * resource uses reads it (getent).
 */
public record UserCheck(
        @Attribute(doc = "the login name") String user,
        @Attribute(doc = "whether it must exist (default) or must not", defaultValue = "true") Boolean exists,
        @Attribute(doc = "the user id it must have") Integer uid,
        @Attribute(doc = "its primary group, by name") String group,
        @Attribute(doc = "supplementary groups it must be a member of (others are allowed)") List<String> groups,
        @Attribute(doc = "its home directory") String home,
        @Attribute(doc = "its login shell") String shell) implements Check {

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        Rules.accountName(problems, null, user);
        Rules.notNegative(problems, "uid", uid);
        Rules.accountName(problems, "group", group);
        if (groups != null) {
            groups.forEach(member -> Rules.accountName(problems, "groups", member));
        }
        return problems;
    }

    @Override
    public Verdict verify(CheckContext context, Duration timeout) throws IOException, ResourceException {
        ShadowProvider accounts = context.service(Providers.class).accounts();
        Passwd current = accounts.user(user);
        Verdict verdict = new Verdict();
        boolean wanted = exists == null || exists;
        if ((current != null) != wanted) {
            return verdict.mismatch("exists", String.valueOf(wanted), String.valueOf(current != null));
        }
        if (current == null) {
            return verdict;
        }
        if (uid != null && uid != current.uid()) {
            verdict.mismatch("uid", uid.toString(), Integer.toString(current.uid()));
        }
        if (home != null && !home.equals(current.home())) {
            verdict.mismatch("home", home, current.home());
        }
        if (shell != null && !shell.equals(current.shell())) {
            verdict.mismatch("shell", shell, current.shell());
        }
        if (group != null || groups != null) {
            List<Group> all = accounts.groups();
            String primary = all.stream().filter(g -> g.gid() == current.gid()).map(Group::name).findFirst()
                    .orElse(Integer.toString(current.gid()));
            if (group != null && !group.equals(primary)) {
                verdict.mismatch("group", group, primary);
            }
            TreeSet<String> memberOf = new TreeSet<>(all.stream().filter(g -> g.members().contains(user)).map(Group::name).toList());
            if (groups != null && !memberOf.containsAll(groups)) {
                verdict.mismatch("groups", "member of " + new TreeSet<>(groups), "member of " + memberOf);
            }
        }
        return verdict;
    }
}
