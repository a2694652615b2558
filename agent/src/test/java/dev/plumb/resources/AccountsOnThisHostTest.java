package dev.plumb.resources;

import dev.plumb.Fixtures;
import static dev.plumb.Fixtures.catalog;
import static dev.plumb.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.agent.BuiltInTypes;
import dev.plumb.api.Action;
import dev.plumb.api.Change;
import dev.plumb.api.Command;
import dev.plumb.api.CommandResult;
import dev.plumb.api.CommandRunner;
import dev.plumb.api.Context;
import dev.plumb.api.Resource;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.RunReport;
import dev.plumb.catalog.Status;
import dev.plumb.engine.Engine;
import dev.plumb.system.ProcessCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users and groups on this host's real account files, as root. Every account is named
 * {@code plumbtest-RANDOM-...}, and is removed after each test even when the test fails.
 */
class AccountsOnThisHostTest {

    /** {@code openssl passwd -6 -salt plumbsalt secret}. */
    private static final String HASH = "$6$plumbsalt$ipA6HiVUVZsG1JSetZkMIasshE/Hoh/2b.BVxzg/qFXtMAKsDqrv/yd5fqsDPJ2YRNYiBPmV3QDyxqIWs5YXc/";
    /** {@code openssl passwd -6 -salt othersalt secret2}. */
    private static final String OTHER_HASH = "$6$othersalt$PI4xJJjbFQ7VtlcbWS3zbZa6t0J9j8sp8tJtwGdKu76R65MWR0ZwII3HGGB/KflHjDWJv98e3P4d8XGwPP/zP1";
    private static final CommandRunner SYSTEM = new ProcessCommandRunner();

    @TempDir
    Path dir;

    private final String prefix = "plumbtest-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
    private final List<String> users = new ArrayList<>();
    private final List<String> groups = new ArrayList<>();
    private Context context;
    /** The first of ten ids that no user or group has. */
    private int id;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Boolean.TRUE.equals(Fixtures.FACTS.get("root")), "managing accounts needs root");
        context = Fixtures.context(SYSTEM, dir.resolve("backups"));
        id = freeIds(10);
    }

    @AfterEach
    void removeAccounts() throws Exception {
        for (String user : users) {
            run("userdel", "--remove", user);
        }
        // useradd's group named after the user stays when the user's primary group was changed.
        for (String group : Stream.concat(groups.stream(), users.stream()).toList()) {
            if (getent("group", group) != null) {
                run("groupdel", group);
            }
        }
    }

    @Test
    void aGroupAndAUserAreCreatedAndASecondApplyChangesNothing() throws Exception {
        String group = newGroup("g");
        String member = newGroup("m");
        String user = newUser("a");
        Path home = dir.resolve("home-a");
        Map<String, Object> userAttributes = Map.of("uid", id, "group", group, "groups", List.of(member),
                "shell", "/bin/bash", "home", home.toString(), "manage_home", true, "comment", "Plumb Test", "password", HASH);

        assertThat(apply("group", group, Map.of("gid", id)).details()).containsExactly("create group, gid " + id);
        assertThat(apply("group", member, Map.of()).action()).isEqualTo(Action.CREATE);
        Change created = apply("user", user, userAttributes);

        assertThat(created.details()).containsExactly("create user, uid " + id + ", group " + group + ", shell /bin/bash, home "
                + home + ", groups [" + member + "], comment 'Plumb Test', password set, with its home directory");
        assertThat(getent("passwd", user)).isEqualTo(user + ":x:" + id + ":" + id + ":Plumb Test:" + home + ":/bin/bash");
        assertThat(membersOf(member)).containsExactly(user);
        assertThat(hashOf(user)).isEqualTo(HASH);
        assertThat(Files.getAttribute(home, "unix:uid")).isEqualTo(id);
        assertThat(apply("group", group, Map.of("gid", id)).isNeeded()).isFalse();
        assertThat(apply("group", member, Map.of()).isNeeded()).isFalse();
        assertThat(apply("user", user, userAttributes).isNeeded()).isFalse();
    }

    @Test
    void aPlanShowsEveryAttributeChangeAndChangesNothingThenApplyMakesThem() throws Exception {
        String first = newGroup("g1");
        String second = newGroup("g2");
        String kept = newGroup("s1");
        String added = newGroup("s2");
        String user = newUser("a");
        apply("group", first, Map.of("gid", id));
        apply("group", second, Map.of("gid", id + 1));
        apply("group", kept, Map.of());
        apply("group", added, Map.of());
        Path oldHome = dir.resolve("old");
        Path newHome = dir.resolve("new");
        apply("user", user, Map.of("uid", id + 5, "group", first, "groups", List.of(kept), "shell", "/bin/sh",
                "home", oldHome.toString(), "manage_home", true, "password", HASH));
        Files.setAttribute(Files.writeString(oldHome.resolve("notes"), "kept\n"), "unix:uid", id + 5);
        String before = getent("passwd", user);
        Map<String, Object> desired = Map.of("uid", id + 6, "group", second, "groups", List.of(added, kept),
                "shell", "/bin/bash", "home", newHome.toString(), "manage_home", true, "comment", "Changed", "password", OTHER_HASH);
        List<String> expected = List.of("uid changed '" + (id + 5) + "' to '" + (id + 6) + "'",
                "group changed '" + first + "' to '" + second + "'", "shell changed '/bin/sh' to '/bin/bash'",
                "home changed '" + oldHome + "' to '" + newHome + "'", "move home directory content to " + newHome,
                "groups changed '[" + kept + "]' to '[" + kept + ", " + added + "]'", "comment changed '' to 'Changed'",
                "password changed");

        Change plan = converge("user", user, desired, false);

        assertThat(plan.action()).isEqualTo(Action.CHANGE);
        assertThat(plan.details()).containsExactlyElementsOf(expected);
        assertThat(getent("passwd", user)).isEqualTo(before);
        assertThat(membersOf(added)).isEmpty();
        assertThat(hashOf(user)).isEqualTo(HASH);
        assertThat(oldHome.resolve("notes")).exists();

        assertThat(apply("user", user, desired).details()).containsExactlyElementsOf(expected);

        assertThat(getent("passwd", user)).isEqualTo(user + ":x:" + (id + 6) + ":" + (id + 1) + ":Changed:" + newHome + ":/bin/bash");
        assertThat(membersOf(kept)).containsExactly(user);
        assertThat(membersOf(added)).containsExactly(user);
        assertThat(hashOf(user)).isEqualTo(OTHER_HASH);
        assertThat(oldHome).doesNotExist();
        assertThat(newHome.resolve("notes")).hasContent("kept");
        assertThat(Files.getAttribute(newHome.resolve("notes"), "unix:uid")).isEqualTo(id + 6);
        assertThat(apply("user", user, desired).isNeeded()).isFalse();
    }

    @Test
    void supplementaryGroupsAreTheExactListUnlessAppended() throws Exception {
        String s1 = newGroup("s1");
        String s2 = newGroup("s2");
        String s3 = newGroup("s3");
        String user = newUser("a");
        for (String group : List.of(s1, s2, s3)) {
            apply("group", group, Map.of());
        }
        apply("user", user, Map.of("groups", List.of(s1, s2)));

        assertThat(apply("user", user, Map.of("groups", List.of(s3), "append", true)).details())
                .containsExactly("groups changed '[" + s1 + ", " + s2 + "]' to '[" + s1 + ", " + s2 + ", " + s3 + "]'");
        assertThat(List.of(membersOf(s1), membersOf(s2), membersOf(s3))).allSatisfy(m -> assertThat(m).containsExactly(user));
        assertThat(apply("user", user, Map.of("groups", List.of(s1), "append", true)).isNeeded()).isFalse();

        assertThat(apply("user", user, Map.of("groups", List.of(s2))).details())
                .containsExactly("groups changed '[" + s1 + ", " + s2 + ", " + s3 + "]' to '[" + s2 + "]'");
        assertThat(membersOf(s1)).isEmpty();
        assertThat(membersOf(s2)).containsExactly(user);
        assertThat(membersOf(s3)).isEmpty();
        assertThat(apply("user", user, Map.of("groups", List.of(s2))).isNeeded()).isFalse();
    }

    @Test
    void aPlannedGidChangeChangesNothingThenApplyMakesIt() throws Exception {
        String group = newGroup("g");
        apply("group", group, Map.of("gid", id));

        assertThat(converge("group", group, Map.of("gid", id + 1), false).details())
                .containsExactly("gid changed '" + id + "' to '" + (id + 1) + "'");
        assertThat(getent("group", group)).isEqualTo(group + ":x:" + id + ":");

        apply("group", group, Map.of("gid", id + 1));
        assertThat(getent("group", group)).isEqualTo(group + ":x:" + (id + 1) + ":");
        assertThat(apply("group", group, Map.of("gid", id + 1)).isNeeded()).isFalse();
    }

    @Test
    void driftMadeByHandIsReportedByAPlanAndRepairedByApply() throws Exception {
        String user = newUser("a");
        Map<String, Object> desired = Map.of("shell", "/bin/bash", "password", HASH);
        apply("user", user, desired);
        run("usermod", "--shell", "/bin/sh", "--password", OTHER_HASH, user);

        assertThat(converge("user", user, desired, false).details())
                .containsExactly("shell changed '/bin/sh' to '/bin/bash'", "password changed");
        assertThat(getent("passwd", user)).endsWith(":/bin/sh");
        assertThat(hashOf(user)).isEqualTo(OTHER_HASH);

        apply("user", user, desired);
        assertThat(getent("passwd", user)).endsWith(":/bin/bash");
        assertThat(hashOf(user)).isEqualTo(HASH);
        assertThat(apply("user", user, desired).isNeeded()).isFalse();
    }

    @Test
    void anAbsentUserIsRemovedWithItsHomeThenItsGroup() throws Exception {
        String group = newGroup("g");
        String user = newUser("a");
        Path home = dir.resolve("home-a");
        apply("group", group, Map.of());
        apply("user", user, Map.of("group", group, "home", home.toString(), "manage_home", true));
        Map<String, Object> absent = Map.of("ensure", "absent", "manage_home", true);

        assertThat(converge("user", user, absent, false).details()).containsExactly("remove user", "remove home directory " + home);
        assertThat(getent("passwd", user)).isNotNull();
        assertThat(home).isDirectory();

        assertThat(apply("user", user, absent).action()).isEqualTo(Action.REMOVE);
        assertThat(getent("passwd", user)).isNull();
        assertThat(home).doesNotExist();
        assertThat(apply("group", group, Map.of("ensure", "absent")).details()).containsExactly("remove group");
        assertThat(getent("group", group)).isNull();
        assertThat(apply("user", user, absent).isNeeded()).isFalse();
        assertThat(apply("group", group, Map.of("ensure", "absent")).isNeeded()).isFalse();
    }

    @Test
    void theEngineCreatesTheGroupsBeforeTheUserThatIsDeclaredFirst() throws Exception {
        String group = newGroup("g");
        String member = newGroup("m");
        String user = newUser("a");
        Engine engine = new Engine(context, BuiltInTypes.REGISTRY, 4, Clock.systemUTC());

        RunReport report = engine.run(catalog(resource("user", user, Map.of("group", group, "groups", List.of(member))),
                resource("group", member, Map.of()), resource("group", group, Map.of())), Mode.APPLY);

        assertThat(report.resources()).extracting(ResourceResult::status).containsOnly(Status.CHANGED);
        assertThat(report.resources()).extracting(ResourceResult::id).endsWith("user:" + user);
        assertThat(membersOf(member)).containsExactly(user);
    }

    // --- helpers ----------------------------------------------------------------------------------------

    private String newUser(String suffix) {
        String name = prefix + "-" + suffix;
        users.add(name);
        return name;
    }

    private String newGroup(String suffix) {
        String name = prefix + "-" + suffix;
        groups.add(name);
        return name;
    }

    private Change apply(String type, String name, Map<String, Object> attributes) throws Exception {
        return converge(type, name, attributes, true);
    }

    /** Converges a resource as the engine would, and checks that no password hash shows in what it reports. */
    private Change converge(String type, String name, Map<String, Object> attributes, boolean apply) throws Exception {
        Resource resource = ResourceTypes.instantiate(resource(type, name, attributes));
        assertThat(resource.validate()).isEmpty();
        Change change = resource.converge(context, apply);
        assertThat(String.join("\n", change.details()) + change.diff()).doesNotContain(HASH).doesNotContain(OTHER_HASH)
                .doesNotContain("$6$");
        return change;
    }

    private static CommandResult run(String... argv) throws Exception {
        return SYSTEM.run(new Command(List.of(argv), null, Map.of(), Duration.ofSeconds(30)));
    }

    /** The line getent prints for {@code key}; null when there is none. */
    private static String getent(String database, String key) throws Exception {
        CommandResult result = run("getent", database, key);
        return result.exitCode() == 2 ? null : result.stdout().strip();
    }

    private static List<String> membersOf(String group) throws Exception {
        String members = getent("group", group).split(":", -1)[3];
        return members.isEmpty() ? List.of() : List.of(members.split(","));
    }

    private static String hashOf(String user) throws Exception {
        return getent("shadow", user).split(":")[1];
    }

    /** The first of {@code count} consecutive ids that no user and no group has, from a random start. */
    private static int freeIds(int count) throws Exception {
        Set<Integer> taken = new HashSet<>();
        for (String database : List.of("passwd", "group")) {
            Arrays.stream(run("getent", database).stdout().split("\n")).filter(line -> !line.isBlank())
                    .forEach(line -> taken.add(Integer.parseInt(line.split(":")[2])));
        }
        while (true) {
            int first = ThreadLocalRandom.current().nextInt(42_000, 59_000);
            if (IntStream.range(first, first + count).noneMatch(taken::contains)) {
                return first;
            }
        }
    }
}
