package dev.plumb.resources;

import static dev.plumb.Fixtures.instantiate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.Fixtures;
import dev.plumb.RecordingRunner;
import dev.plumb.api.Action;
import dev.plumb.api.Change;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.ResourceException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user resource through the command seam: the exact argv it runs, and that a plan only queries getent. */
class UserResourceTest {

    private static final String HASH = "$6$plumbsalt$ipA6HiVUVZsG1JSetZkMIasshE/Hoh/2b.BVxzg/qFXtMAKsDqrv/yd5fqsDPJ2YRNYiBPmV3QDyxqIWs5YXc/";
    private static final String OLD_HASH = "$6$othersalt$PI4xJJjbFQ7VtlcbWS3zbZa6t0J9j8sp8tJtwGdKu76R65MWR0ZwII3HGGB/KflHjDWJv98e3P4d8XGwPP/zP1";
    private static final String GROUPS = """
            root:x:0:
            plumbtest-g:x:2000:
            plumbtest-h:x:2001:
            plumbtest-x:x:2002:postgres,plumbtest-a
            plumbtest-y:x:2003:plumbtest-a
            plumbtest-z:x:2004:postgres
            """;

    @TempDir
    Path dir;

    private RecordingRunner runner;
    private Context context;

    @BeforeEach
    void setUp() {
        runner = new RecordingRunner();
        context = Fixtures.context(runner, dir.resolve("backups"));
    }

    private static UserResource user(Map<String, Object> attributes) {
        return instantiate("user", "plumbtest-a", attributes);
    }

    /** plumbtest-a exists with uid 2000, primary group plumbtest-g, in plumbtest-x and -y, and the old hash. */
    private void existing() {
        runner.answer("getent passwd plumbtest-a", 0, "plumbtest-a:x:2000:2000:App:/home/plumbtest-a:/bin/sh\n", "")
                .answer("getent group", 0, GROUPS, "")
                .answer("getent shadow plumbtest-a", 0, "plumbtest-a:" + OLD_HASH + ":20779:0:99999:7:::\n", "");
    }

    private static List<String> argv(String line) {
        return List.of(line.split(" "));
    }

    @Test
    void aNewUserIsCreatedWithOneUseraddOfEveryGivenAttribute() throws Exception {
        runner.exit("getent passwd plumbtest-a", 2);
        UserResource resource = user(Map.of("uid", 2000, "group", "plumbtest-g", "groups", List.of("plumbtest-y", "plumbtest-x"),
                "shell", "/bin/bash", "home", "/srv/a", "manage_home", true, "comment", "App", "password", HASH));

        Change change = resource.converge(context, true);

        assertThat(change.action()).isEqualTo(Action.CREATE);
        assertThat(change.details()).containsExactly("create user, uid 2000, group plumbtest-g, shell /bin/bash, home /srv/a, "
                + "groups [plumbtest-x, plumbtest-y], comment 'App', password set, with its home directory");
        assertThat(runner.argvs()).containsExactly(argv("getent passwd plumbtest-a"), argv("useradd --uid 2000 --gid plumbtest-g "
                + "--shell /bin/bash --home-dir /srv/a --groups plumbtest-x,plumbtest-y --comment App --create-home plumbtest-a"),
                argv("chpasswd --encrypted"));
        assertThat(runner.commands().get(2).stdin()).isEqualTo("plumbtest-a:" + HASH + "\n");
    }

    @Test
    void thePasswordHashGoesToChpasswdOnStandardInputAndNeverOnACommandLine() throws Exception {
        existing();

        user(Map.of("password", HASH)).converge(context, true);

        assertThat(runner.argvs()).containsExactly(argv("getent passwd plumbtest-a"), argv("getent shadow plumbtest-a"),
                argv("chpasswd --encrypted"));
        assertThat(runner.commands().get(2).stdin()).isEqualTo("plumbtest-a:" + HASH + "\n");
        assertThat(runner.argvs()).allSatisfy(argv -> assertThat(String.join(" ", argv)).doesNotContain("$6$"));
        assertThat(runner.commands().get(2)).hasToString("Command[chpasswd, --encrypted] with standard input");
    }

    @Test
    void aSystemUserWithNothingElseGivenLeavesTheRestToUseradd() throws Exception {
        runner.exit("getent passwd plumbtest-a", 2);

        Change change = user(Map.of("system", true)).converge(context, true);

        assertThat(change.entries()).containsExactly(new Change.Entry(Action.CREATE, "ensure", null, "present", "create user, system account"));
        assertThat(runner.argvs()).containsExactly(argv("getent passwd plumbtest-a"),
                argv("useradd --no-create-home --system plumbtest-a"));
    }

    @Test
    void aPlanOfANewUserOnlyQueries() throws Exception {
        runner.exit("getent passwd plumbtest-a", 2);

        Change change = user(Map.of("uid", 2000, "shell", "/bin/bash", "groups", List.of("a", "b"))).converge(context, false);

        assertThat(change.details()).containsExactly("create user, uid 2000, shell /bin/bash, groups [a, b]");
        assertThat(runner.lines()).containsExactly("getent passwd plumbtest-a");
    }

    @Test
    void everyDifferenceIsDescribedAndChangedByOneUsermod() throws Exception {
        existing();
        UserResource resource = user(Map.of("uid", 2001, "group", "plumbtest-h", "shell", "/bin/bash",
                "groups", List.of("plumbtest-x", "plumbtest-y", "plumbtest-z"), "comment", "App server", "password", HASH));

        Change change = resource.converge(context, true);

        assertThat(change.action()).isEqualTo(Action.CHANGE);
        assertThat(change.details()).containsExactly("uid changed '2000' to '2001'", "group changed 'plumbtest-g' to 'plumbtest-h'",
                "shell changed '/bin/sh' to '/bin/bash'",
                "groups changed '[plumbtest-x, plumbtest-y]' to '[plumbtest-x, plumbtest-y, plumbtest-z]'",
                "comment changed 'App' to 'App server'", "password changed");
        assertThat(runner.argvs()).containsExactly(argv("getent passwd plumbtest-a"), argv("getent group"),
                argv("getent shadow plumbtest-a"), List.of("usermod", "--uid", "2001", "--gid", "plumbtest-h", "--shell", "/bin/bash",
                        "--groups", "plumbtest-x,plumbtest-y,plumbtest-z", "--comment", "App server", "plumbtest-a"),
                argv("chpasswd --encrypted"));
        assertThat(runner.commands().get(4).stdin()).isEqualTo("plumbtest-a:" + HASH + "\n");
    }

    @Test
    void aPlanOfChangesOnlyQueriesAndNeverShowsTheHash() throws Exception {
        existing();

        Change change = user(Map.of("shell", "/bin/bash", "groups", List.of("plumbtest-x"), "password", HASH)).converge(context, false);

        assertThat(change.details()).containsExactly("shell changed '/bin/sh' to '/bin/bash'",
                "groups changed '[plumbtest-x, plumbtest-y]' to '[plumbtest-x]'", "password changed");
        assertThat(String.join("\n", change.details())).doesNotContain(HASH).doesNotContain(OLD_HASH).doesNotContain("$6$");
        assertThat(change.diff()).isNull();
        assertThat(runner.lines()).containsExactly("getent passwd plumbtest-a", "getent group", "getent shadow plumbtest-a");
    }

    @Test
    void aUserAsDescribedRunsOnlyTheQueries() throws Exception {
        existing();

        Change change = user(Map.of("uid", 2000, "group", "plumbtest-g", "groups", List.of("plumbtest-y", "plumbtest-x"),
                "shell", "/bin/sh", "home", "/home/plumbtest-a", "comment", "App", "password", OLD_HASH)).converge(context, true);

        assertThat(change.isNeeded()).isFalse();
        assertThat(runner.lines()).containsExactly("getent passwd plumbtest-a", "getent group", "getent shadow plumbtest-a");
    }

    @Test
    void onlyTheManagedAttributesAreQueried() throws Exception {
        existing();

        assertThat(user(Map.of("shell", "/bin/sh")).converge(context, true).isNeeded()).isFalse();
        assertThat(runner.lines()).containsExactly("getent passwd plumbtest-a");
    }

    @Test
    void appendAddsOnlyTheMissingGroupsAndKeepsTheOthers() throws Exception {
        existing();

        Change change = user(Map.of("groups", List.of("plumbtest-y", "plumbtest-z"), "append", true)).converge(context, true);

        assertThat(change.details()).containsExactly(
                "groups changed '[plumbtest-x, plumbtest-y]' to '[plumbtest-x, plumbtest-y, plumbtest-z]'");
        assertThat(runner.argvs()).endsWith(argv("usermod --append --groups plumbtest-z plumbtest-a"));
    }

    @Test
    void appendWithEveryGroupAlreadyJoinedChangesNothing() throws Exception {
        existing();

        assertThat(user(Map.of("groups", List.of("plumbtest-y"), "append", true)).converge(context, true).isNeeded()).isFalse();
        assertThat(runner.lines()).containsExactly("getent passwd plumbtest-a", "getent group");
    }

    @Test
    void anEmptyListLeavesEverySupplementaryGroup() throws Exception {
        existing();

        Change change = user(Map.of("groups", List.of())).converge(context, true);

        assertThat(change.details()).containsExactly("groups changed '[plumbtest-x, plumbtest-y]' to '[]'");
        assertThat(runner.argvs()).endsWith(List.of("usermod", "--groups", "", "plumbtest-a"));
    }

    @Test
    void aPrimaryGroupWithoutANameIsShownByItsId() throws Exception {
        runner.answer("getent passwd plumbtest-a", 0, "plumbtest-a:x:2000:4242::/home/plumbtest-a:/bin/sh\n", "")
                .answer("getent group", 0, GROUPS, "");

        Change change = user(Map.of("group", "plumbtest-g")).converge(context, false);

        assertThat(change.details()).containsExactly("group changed '4242' to 'plumbtest-g'");
    }

    @Test
    void aNewHomeIsMovedThereWhenTheHomeIsManaged() throws Exception {
        existing();

        Change change = user(Map.of("home", "/srv/a", "manage_home", true)).converge(context, true);

        assertThat(change.details()).containsExactly("home changed '/home/plumbtest-a' to '/srv/a'",
                "move home directory content to /srv/a");
        assertThat(runner.argvs()).endsWith(argv("usermod --home /srv/a --move-home plumbtest-a"));
    }

    @Test
    void aNewHomeIsOnlyRecordedWhenTheHomeIsNotManaged() throws Exception {
        existing();

        user(Map.of("home", "/srv/a")).converge(context, true);

        assertThat(runner.argvs()).endsWith(argv("usermod --home /srv/a plumbtest-a"));
    }

    @Test
    void anAbsentUserIsRemovedWithItsHomeWhenTheHomeIsManaged() throws Exception {
        existing();

        Change change = user(Map.of("ensure", "absent", "manage_home", true)).converge(context, true);

        assertThat(change.action()).isEqualTo(Action.REMOVE);
        assertThat(change.details()).containsExactly("remove user", "remove home directory /home/plumbtest-a");
        assertThat(runner.argvs()).containsExactly(argv("getent passwd plumbtest-a"), argv("userdel --remove plumbtest-a"));
    }

    @Test
    void anAbsentUserKeepsItsHomeByDefault() throws Exception {
        existing();

        Change change = user(Map.of("ensure", "absent")).converge(context, true);

        assertThat(change.details()).containsExactly("remove user");
        assertThat(runner.argvs()).endsWith(argv("userdel plumbtest-a"));
    }

    @Test
    void aPlannedRemovalRunsNothing() throws Exception {
        existing();

        assertThat(user(Map.of("ensure", "absent")).converge(context, false).details()).containsExactly("remove user");
        assertThat(runner.lines()).containsExactly("getent passwd plumbtest-a");
    }

    @Test
    void aUserThatIsAlreadyAbsentNeedsNothing() throws Exception {
        runner.exit("getent passwd plumbtest-a", 2);

        assertThat(user(Map.of("ensure", "absent")).converge(context, true).isNeeded()).isFalse();
        assertThat(runner.lines()).containsExactly("getent passwd plumbtest-a");
    }

    @Test
    void aFailingCommandGivesItsErrorOutputButNeverItsArguments() {
        runner.exit("getent passwd plumbtest-a", 2).answer(
                "useradd --gid nosuch --no-create-home plumbtest-a", 6, "", "useradd: group 'nosuch' does not exist\n");

        assertThatThrownBy(() -> user(Map.of("group", "nosuch", "password", HASH)).converge(context, true))
                .isInstanceOf(ResourceException.class)
                .hasMessage("useradd failed with exit code 6:\nuseradd: group 'nosuch' does not exist");
    }

    @Test
    void theUserNeedsItsManagedGroupsAndIsRemovedBeforeThem() {
        assertThat(user(Map.of("group", "app", "groups", List.of("ssl-cert", "docker"))).autoRequires())
                .containsExactly("group:app", "group:ssl-cert", "group:docker");
        assertThat(user(Map.of()).autoRequires()).isEmpty();
        UserResource removed = user(Map.of("ensure", "absent", "group", "app"));
        assertThat(removed.autoRequires()).containsExactly("group:app");
        assertThat(removed.removes()).isTrue();
        assertThat(user(Map.of()).removes()).isFalse();
    }

    @Test
    void printingTheResourceNeverShowsThePassword() {
        assertThat(user(Map.of("password", HASH))).hasToString("user[plumbtest-a]");
    }

    // --- validation -------------------------------------------------------------------------------------

    private static List<Diagnostic> problems(String name, Map<String, Object> attributes) {
        return ((UserResource) instantiate("user", name, attributes)).validate();
    }

    @Test
    void namesThatCouldBeTakenForAnOptionOrBreakTheFilesAreRejected() {
        for (String name : List.of("-o", "--badname", "Admin", "a b", "a:b", "9lives", "a".repeat(33), "")) {
            assertThat(problems(name, Map.of())).as(name).containsExactly(Diagnostic.ofAttribute("name", "'" + name
                    + "' is not a user or group name; expected at most 32 lower-case letters, digits, _ and -, starting with a letter or _"));
        }
        for (String name : List.of("www-data", "_apt", "svc2", "host$", "a".repeat(32))) {
            assertThat(problems(name, Map.of())).as(name).isEmpty();
        }
    }

    @Test
    void groupNamesAndIdsAreChecked() {
        assertThat(problems("app", Map.of("uid", -1, "group", "-g", "groups", List.of("ok", "--all"))))
                .containsExactly(Diagnostic.ofAttribute("uid", "-1 is negative; ids start at 0"),
                        Diagnostic.ofAttribute("group", "'-g' is not a user or group name; expected at most 32 lower-case "
                                + "letters, digits, _ and -, starting with a letter or _"),
                        Diagnostic.ofAttribute("groups", "'--all' is not a user or group name; expected at most 32 lower-case "
                                + "letters, digits, _ and -, starting with a letter or _"));
    }

    @Test
    void aClearTextPasswordIsRejectedWithoutBeingRepeated() {
        for (String password : List.of("hunter2", "", " $6$x", "$6$a:b", "$6$a b")) {
            List<Diagnostic> problems = problems("app", Map.of("password", password));
            assertThat(problems).as(password).containsExactly(Diagnostic.ofAttribute("password", "is not a crypt hash: a hash "
                    + "starts with $ (or with ! or * for an account that cannot log in with a password). Make one with: openssl passwd -6"));
        }
        for (String password : List.of(HASH, "!", "*", "!" + HASH, "!!")) {
            assertThat(problems("app", Map.of("password", password))).as(password).isEmpty();
        }
    }

    @Test
    void pathsAndFieldsMustFitTheAccountFiles() {
        assertThat(problems("app", Map.of("home", "srv/app", "shell", "/bin/sh:x", "comment", "a\nb", "append", true)))
                .containsExactly(Diagnostic.ofAttribute("append", "has no meaning without groups"),
                        Diagnostic.ofAttribute("home", "'srv/app' is not an absolute path; write it from /"),
                        Diagnostic.ofAttribute("shell", "'/bin/sh:x' holds ':' or a newline, which the account files use as separators"),
                        Diagnostic.ofAttribute("comment", "'a\nb' holds ':' or a newline, which the account files use as separators"));
    }

    @Test
    void ensureIsPresentOrAbsent() {
        assertThat(problems("app", Map.of("ensure", "latest"))).extracting(Diagnostic::attribute).containsExactly("ensure");
    }
}
