package dev.plumb.resources;

import dev.plumb.api.Action;
import dev.plumb.api.Attribute;
import dev.plumb.api.AutoRequires;
import dev.plumb.api.Change;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.Removable;
import dev.plumb.api.Resource;
import dev.plumb.api.ResourceException;
import dev.plumb.providers.Providers;
import dev.plumb.providers.ShadowProvider;
import dev.plumb.providers.ShadowProvider.Group;
import dev.plumb.providers.ShadowProvider.Passwd;
import dev.plumb.providers.ShadowProvider.UserSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code user: NAME} — a local user account. An attribute left out is not managed: useradd picks its value
 * when it creates the user, and later runs leave it as it is. The password is a crypt hash and always
 * sensitive: a change shows as "password changed", never with its value.
 */
public record UserResource(
        @Attribute(doc = "the login name") String name,
        @Attribute(doc = "present (default) or absent",
                defaultValue = "present", values = {"present", "absent"})
        String ensure,
        @Attribute(doc = "the user id") Integer uid,
        @Attribute(doc = "the primary group, by name; useradd's default is a new group named after the "
                + "user")
        String group,
        @Attribute(doc = "the supplementary groups, by name") List<String> groups,
        @Attribute(doc = "add the user to groups and keep its other memberships; by default it ends up in "
                + "exactly groups")
        boolean append,
        @Attribute(doc = "the home directory") String home,
        @Attribute(doc = "create the home directory with the user, move its content when home changes, and "
                + "remove it with the user (the component is named as the attribute is written)")
        boolean manage_home,
        @Attribute(doc = "the login shell") String shell,
        @Attribute(doc = "the comment (GECOS) field, usually the full name") String comment,
        @Attribute(doc = "a crypt hash such as openssl passwd -6 prints, or ! or * for none",
                sensitive = true)
        String password,
        @Attribute(doc = "create a system account (an id below UID_MIN, no password aging); only when it "
                + "is created")
        boolean system)
        implements Resource, AutoRequires, Removable {

    /** What a crypt hash looks like from outside: {@code $id$salt$hash}, or {@code !} or {@code *} first for no login. */
    private static final Pattern PASSWORD_HASH = Pattern.compile("[$!*][^\\s:]*");

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        Rules.accountName(problems, "name", name);
        Rules.oneOf(problems, "ensure", ensure, "present", "absent");
        Rules.notNegative(problems, "uid", uid);
        Rules.accountName(problems, "group", group);
        if (groups != null) {
            groups.forEach(member -> Rules.accountName(problems, "groups", member));
        }
        if (append && groups == null) {
            problems.add(Diagnostic.ofAttribute("append", "has no meaning without groups"));
        }
        Rules.normalPath(problems, "home", home);
        Rules.normalPath(problems, "shell", shell);
        accountField(problems, "home", home);
        accountField(problems, "shell", shell);
        accountField(problems, "comment", comment);
        if (password != null && !PASSWORD_HASH.matcher(password).matches()) {
            // The value is not quoted: what fails this rule may well be a clear-text password.
            problems.add(Diagnostic.ofAttribute("password", "is not a crypt hash: a hash starts with $ (or with ! "
                    + "or * for an account that cannot log in with a password). Make one with: openssl passwd -6"));
        }
        return problems;
    }

    /** A field of the account files, which separate fields with ':' and entries with newlines. */
    private static void accountField(List<Diagnostic> problems, String attribute, String value) {
        if (value != null && (value.contains(":") || value.contains("\n"))) {
            problems.add(Diagnostic.ofAttribute(attribute, "'" + value + "' holds ':' or a newline, which the account "
                    + "files use as separators"));
        }
    }

    /** A user needs the groups it is a member of; a group being removed goes after the user (the graph reverses it). */
    @Override
    public List<String> autoRequires() {
        List<String> ids = new ArrayList<>();
        if (group != null) {
            ids.add("group:" + group);
        }
        if (groups != null) {
            groups.forEach(member -> ids.add("group:" + member));
        }
        return ids;
    }

    @Override
    public boolean removes() {
        return !present();
    }

    @Override
    public Change converge(Context context, boolean apply) throws IOException, ResourceException {
        ShadowProvider accounts = context.service(Providers.class).accounts();
        Passwd current = accounts.user(name);
        Change change = new Change();
        if (!present()) {
            if (current != null) {
                change.add(Action.REMOVE, "ensure", "present", "absent", "remove user");
                if (manage_home) {
                    change.add(Action.REMOVE, "home", current.home(), null, "remove home directory " + current.home());
                }
                if (apply) {
                    accounts.removeUser(name, manage_home);
                }
            }
            return change;
        }
        if (current == null) {
            change.add(Action.CREATE, "ensure", null, "present", creation());
            if (apply) {
                List<String> members = groups == null || groups.isEmpty() ? null : List.copyOf(new TreeSet<>(groups));
                accounts.addUser(name, new UserSettings(uid, group, shell, home, members, comment, password), system,
                        manage_home);
            }
            return change;
        }
        UserSettings differences = differences(accounts, current, change);
        if (apply && change.isNeeded()) {
            accounts.modifyUser(name, differences, append, manage_home);
        }
        return change;
    }

    /** Notes each managed attribute that differs from {@code current}; returns the new values, null for the rest. */
    private UserSettings differences(ShadowProvider accounts, Passwd current, Change change) throws IOException {
        List<Group> all = group != null || groups != null ? accounts.groups() : List.of();
        String currentGroup = all.stream().filter(g -> g.gid() == current.gid()).map(Group::name).findFirst()
                .orElse(Integer.toString(current.gid()));
        Integer newUid = changed(change, "uid", current.uid(), uid);
        String newGroup = changed(change, "group", currentGroup, group);
        String newShell = changed(change, "shell", current.shell(), shell);
        String newHome = changed(change, "home", current.home(), home);
        if (newHome != null && manage_home) {
            change.add(Action.CHANGE, "homeContent", current.home(), home, "move home directory content to " + home);
        }
        List<String> newGroups = groups == null ? null : membershipChange(all, change);
        String newComment = changed(change, "comment", current.comment(), comment);
        String newPassword = password != null && !password.equals(accounts.passwordHash(name)) ? password : null;
        if (newPassword != null) {
            change.add(Action.CHANGE, "password", Change.SENSITIVE, Change.SENSITIVE, "password changed");
        }
        return new UserSettings(newUid, newGroup, newShell, newHome, newGroups, newComment, newPassword);
    }

    /** The groups to give usermod when the memberships differ: all of them, or with append the missing ones. */
    private List<String> membershipChange(List<Group> all, Change change) {
        SortedSet<String> memberOf = all.stream().filter(g -> g.members().contains(name)).map(Group::name)
                .collect(Collectors.toCollection(TreeSet::new));
        SortedSet<String> wanted = new TreeSet<>(groups);
        if (append) {
            wanted.addAll(memberOf);
        }
        if (wanted.equals(memberOf)) {
            return null;
        }
        change.changed("groups", List.copyOf(memberOf), List.copyOf(wanted));
        return wanted.stream().filter(g -> !append || !memberOf.contains(g)).toList();
    }

    /** The desired value when it is managed and differs from the current one, after noting the change; else null. */
    private static <T> T changed(Change change, String attribute, Object current, T desired) {
        if (desired == null || desired.equals(current)) {
            return null;
        }
        change.changed(attribute, current, desired);
        return desired;
    }

    /** The creation with the attributes given, as "create user, uid 2000, shell /bin/bash"; the password only mentioned. */
    private String creation() {
        List<String> parts = new ArrayList<>(List.of("create user"));
        if (uid != null) {
            parts.add("uid " + uid);
        }
        if (group != null) {
            parts.add("group " + group);
        }
        if (shell != null) {
            parts.add("shell " + shell);
        }
        if (home != null) {
            parts.add("home " + home);
        }
        if (groups != null) {
            parts.add("groups " + new TreeSet<>(groups));
        }
        if (comment != null) {
            parts.add("comment '" + comment + "'");
        }
        if (password != null) {
            parts.add("password set");
        }
        if (system) {
            parts.add("system account");
        }
        if (manage_home) {
            parts.add("with its home directory");
        }
        return String.join(", ", parts);
    }

    private boolean present() {
        return ensure == null || ensure.equals("present");
    }

    /** Names the user only: a record's usual text would show the password hash wherever a resource is printed. */
    @Override
    public String toString() {
        return "user[" + name + "]";
    }
}
